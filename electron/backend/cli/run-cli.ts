import { setTimeout as wait } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Backend, openBackend } from '../backend';
import { openBackendHost } from '../host/backend-host';
import { errorsOnlyLogger, jsonLogger } from '../logger';
import { defaultDataDir } from '../paths';
import { openConnection } from '../remote/connection';
import type { CallSession } from '../router/handler';
import { issueSetupCode } from '../services/token-secrets';
import { BACKUPS_ON_POSTGRES } from '../store/store';
import { type CliBackend, CliFailure, type CliIo } from './cli-context';
import type { Command } from './command';
import { agentCommands } from './commands/agent';
import { agentAliasCommands } from './commands/agent-alias';
import { alertCommands } from './commands/alerts';
import { auditCommands } from './commands/audit';
import { backupCommands } from './commands/backup';
import { callCommand } from './commands/call';
import { initCommand } from './commands/init';
import { inviteCommands } from './commands/invite';
import { knowledgeCommands } from './commands/knowledge';
import { memberCommands } from './commands/member';
import { DATABASE_ENV, migrateCommand } from './commands/migrate';
import { orgCommands } from './commands/org';
import { policyCommands } from './commands/policy';
import { priceCommands } from './commands/price';
import { originOf, remoteCommands, storedSignIn, TOKEN_ENV } from './commands/remote';
import { reportCommand } from './commands/report';
import { serveCommand } from './commands/serve';
import { statementCommands } from './commands/statement';
import { storeCommands } from './commands/store';
import { tokenCommands } from './commands/token';
import { transferCommands } from './commands/transfer';
import { usageImportCommand, usageUndoCommand } from './commands/usage';
import { userCommands } from './commands/user';

/** How long a one-off command waits for the webhook deliveries it started before it exits. */
const SEND_WAIT_MS = 15_000;

export const COMMANDS: readonly Command[] = [
  initCommand,
  serveCommand,
  ...orgCommands,
  ...userCommands,
  ...memberCommands,
  ...inviteCommands,
  ...tokenCommands,
  ...agentCommands,
  ...agentAliasCommands,
  ...priceCommands,
  usageImportCommand,
  usageUndoCommand,
  reportCommand,
  ...statementCommands,
  ...alertCommands,
  ...knowledgeCommands,
  ...auditCommands,
  ...policyCommands,
  ...backupCommands,
  ...transferCommands,
  migrateCommand,
  ...storeCommands,
  ...remoteCommands,
  callCommand,
];

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  database: { type: 'string' },
  remote: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function help(): string {
  const lines = COMMANDS.map((c) => `  orgdeck ${c.usage}\n      ${c.summary}`);
  return [
    'Usage: orgdeck <command> [--data-dir DIR | --database URL] [--remote URL] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    `--data-dir defaults to the desktop app's data directory (${defaultDataDir()}).`,
    `--database postgres://… (or ${DATABASE_ENV}) works on a PostgreSQL database \`orgdeck migrate\` prepared`,
    'instead of the SQLite store in the data directory (which still holds uploads and keys).',
    '--remote URL runs the command on an Orgdeck server as the user `remote login` signed in',
    `(or with the token in ${TOKEN_ENV}); commands that work on this computer's files refuse it.`,
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const candidates = [...COMMANDS].sort((a, b) => b.words.length - a.words.length);
  for (const command of candidates) {
    if (command.words.every((word, i) => argv[i] === word))
      return { command, rest: argv.slice(command.words.length) };
  }
  return undefined;
}

/** `orgdeck agent --help`: the usage of every command whose name starts with these words. */
function groupHelp(words: string[]): string | undefined {
  const group = COMMANDS.filter((c) => words.every((word, i) => c.words[i] === word));
  if (words.length === 0 || group.length === 0) return undefined;
  return [
    `Usage: orgdeck ${words.join(' ')} <command> [options]`,
    '',
    'Commands:',
    ...group.map((c) => `  orgdeck ${c.usage}\n      ${c.summary}`),
    '',
    `Run \`orgdeck ${group[0]?.words.join(' ')} --help\` for one command's usage.`,
  ].join('\n');
}

const VALUED_GLOBALS = new Set(['--data-dir', '--database', '--remote']);
const FLAG_GLOBALS = new Set(['--json', '--help', '-h']);

/**
 * Takes the global options out of the line wherever they stand (`orgdeck --json org list`,
 * `orgdeck org --data-dir D list`), so that only the command's words and its own options remain.
 * Nothing after `--` is an option.
 */
function withoutGlobals(argv: string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const name = arg.split('=')[0] ?? arg;
    if (FLAG_GLOBALS.has(arg) || (VALUED_GLOBALS.has(name) && arg.includes('='))) globals.push(arg);
    else if (VALUED_GLOBALS.has(arg) && i + 1 < argv.length) globals.push(arg, argv[++i] ?? '');
    else rest.push(arg);
  }
  return { globals, rest };
}

/** For commands that open no backend (remote login, remote status): any channel call is a bug. */
const NO_BACKEND: CliBackend = {
  router: {
    channels: [],
    call: async (name) => ({
      ok: false,
      error: { code: 'INTERNAL', message: `No backend to call ${name}.` },
    }),
  },
};

async function remoteSession(io: CliIo, dataDir: string, url: string): Promise<CallSession> {
  const token = process.env[TOKEN_ENV] || (await storedSignIn(io, dataDir, url))?.token;
  if (!token) {
    throw new CliFailure({
      code: 'UNAUTHENTICATED',
      message: `Not signed in to ${url}. Run \`orgdeck remote login ${url} --email E --password-stdin\` first.`,
    });
  }
  return { token, setToken: () => {} };
}

/** Runs one CLI invocation and returns its exit code: 0 done, 1 refused, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { globals, rest: line } = withoutGlobals(argv);
  const helpAsked = globals.includes('--help') || globals.includes('-h');
  // `orgdeck help agent assign` is `orgdeck agent assign --help`.
  const words = line[0] === 'help' ? line.slice(1) : line;
  const found = findCommand(words);
  if (!found) {
    const asked = helpAsked || line[0] === 'help';
    const group = groupHelp(words.filter((word) => !word.startsWith('-')));
    if (asked || words.length === 0) io.out(group ?? help());
    else if (group) io.err(`Name a command: orgdeck ${words.join(' ')} <command>.\n\n${group}`);
    else
      io.err(`Unknown command: orgdeck ${words.slice(0, 2).join(' ')}. Run \`orgdeck --help\` for the list.`);
    return asked || words.length === 0 ? 0 : 2;
  }
  const { command } = found;
  // The help flag answers before the command's options are checked: `agent assign --help` needs no handle.
  if (helpAsked || line[0] === 'help') {
    io.out(`Usage: orgdeck ${command.usage}\n${command.summary}`);
    return 0;
  }
  const rest = [...found.rest, ...globals];
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: (command.positionals ?? 0) > 0,
      strict: true,
    });
    if (args.positionals.length > (command.positionals ?? 0))
      throw new Error(`Unexpected argument ${args.positionals.at(-1)}`);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: orgdeck ${command.usage}`);
    return 2;
  }
  const dataDir = (args.values['data-dir'] as string | undefined) ?? defaultDataDir();
  const json = args.values.json === true;
  const remote = args.values.remote as string | undefined;
  const database = (args.values.database as string | undefined) ?? process.env[DATABASE_ENV];
  let local: Backend | undefined;
  let close: () => void | Promise<void> = () => {};
  // Whoever reaches a console first would own a fresh store: setup asks for a code only its console
  // shows. Every thread of the backend knows its hash from the start, so no request comes before it.
  const setup = command === serveCommand && remote === undefined ? issueSetupCode() : undefined;
  try {
    let backend: CliBackend = NO_BACKEND;
    if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) {
      throw new CliFailure(
        { code: 'VALIDATION', message: 'The database URL must start with postgres:// or postgresql://.' },
        2,
      );
    } else if (database !== undefined && command.sqliteOnly) {
      throw new CliFailure({
        code: 'UNAVAILABLE',
        message: `orgdeck ${command.words.join(' ')} works on a SQLite store only. ${BACKUPS_ON_POSTGRES}`,
      });
    } else if (remote !== undefined && args.values.database !== undefined) {
      throw new CliFailure(
        { code: 'VALIDATION', message: 'Give --remote or --database, not both: --remote runs on a server.' },
        2,
      );
    } else if (remote !== undefined && (command.where === 'local' || command.where === 'store')) {
      throw new CliFailure(
        {
          code: 'VALIDATION',
          message: `orgdeck ${command.words.join(' ')} works on this computer's data directory; it cannot run with --remote.`,
        },
        2,
      );
    } else if (remote !== undefined && command.where !== 'none') {
      const connection = await openConnection({
        dataDir,
        keychain: { available: false, problem: 'not used with --remote' },
        tokens: 'transport',
        fixedUrl: originOf(remote),
        openLocal: () => {
          throw new Error('A --remote run has no local backend.');
        },
      });
      close = connection.close;
      // The console passes each browser's own token through; other commands use the stored one.
      backend =
        command === serveCommand
          ? { router: connection.router }
          : { router: connection.router, session: await remoteSession(io, dataDir, originOf(remote)) };
    } else if (command === serveCommand && io.hostWorker) {
      // The console's HTTP loop only forwards calls: the store works in the host's threads.
      const host = openBackendHost({
        dataDir,
        database,
        hostWorker: io.hostWorker,
        importWorker: io.importWorker,
        extractWorker: io.extractWorker,
        // A self-hosted server runs unattended: it backs itself up daily like the desktop app; on
        // PostgreSQL the database's own backups do (README).
        autoBackups: database === undefined,
        setupCodeHash: setup?.hashHex,
        logger: jsonLogger(),
      });
      close = host.close;
      // Listen once the readers are up, so the first reads do not queue behind writes.
      await host.ready;
      backend = { router: host.router };
    } else if (command.where !== 'none' && command.where !== 'store') {
      local = openBackend({
        dataDir,
        database,
        logger: command === serveCommand ? jsonLogger() : errorsOnlyLogger((line) => io.err(line.trimEnd())),
        importWorker: io.importWorker,
        extractWorker: io.extractWorker,
        // A self-hosted server runs unattended: it backs itself up daily like the desktop app; on
        // PostgreSQL the database's own backups do (README).
        autoBackups: command === serveCommand && database === undefined,
        // A server checks budgets hourly; a one-off command only after the imports it makes.
        alertSchedule: command === serveCommand,
        oneOff: command !== serveCommand,
        setupCodeHash: setup?.hashHex,
      });
      // A command answers once what a restart cut off is finished, as scripts expect of it.
      await local.resumed;
      backend = local;
    }
    await command.run(
      { values: args.values, positionals: args.positionals },
      { backend, local, io, json, dataDir, setupCode: setup?.code },
    );
    return 0;
  } catch (error) {
    if (error instanceof CliFailure) {
      const issues =
        (error.apiError.details as { issues?: { path: string[]; message: string }[] } | undefined)?.issues ??
        [];
      io.err(
        [
          `error: ${error.apiError.code}: ${error.apiError.message}`,
          ...issues.slice(1).map((i) => `  ${i.path.join('.')}: ${i.message}`),
        ].join('\n'),
      );
      return error.exitCode;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    // An alert the command raised is sent before the store closes, for SEND_WAIT_MS at most (a dead
    // endpoint's retries may be due too): one still unsent stays claimed a few minutes, then a
    // server sends it.
    if (local)
      await Promise.race([local.services.alerts.settled(), wait(SEND_WAIT_MS, undefined, { ref: false })]);
    local?.close();
    await close();
  }
}

import { parseArgs } from 'node:util';
import { type Backend, openBackend } from '../backend';
import { jsonLogger, silentLogger } from '../logger';
import { defaultDataDir } from '../paths';
import { CliFailure, type CliIo } from './cli-context';
import type { Command } from './command';
import { agentCommands } from './commands/agent';
import { auditCommands } from './commands/audit';
import { backupCommands } from './commands/backup';
import { callCommand } from './commands/call';
import { initCommand } from './commands/init';
import { knowledgeCommands } from './commands/knowledge';
import { orgCommands } from './commands/org';
import { policyCommands } from './commands/policy';
import { priceCommands } from './commands/price';
import { reportCommand } from './commands/report';
import { serveCommand } from './commands/serve';
import { tokenCommands } from './commands/token';
import { transferCommands } from './commands/transfer';
import { usageImportCommand } from './commands/usage';
import { userCommands } from './commands/user';

export const COMMANDS: readonly Command[] = [
  initCommand,
  serveCommand,
  ...orgCommands,
  ...userCommands,
  ...tokenCommands,
  ...agentCommands,
  ...priceCommands,
  usageImportCommand,
  reportCommand,
  ...knowledgeCommands,
  ...auditCommands,
  ...policyCommands,
  ...backupCommands,
  ...transferCommands,
  callCommand,
];

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function help(): string {
  const lines = COMMANDS.map((c) => `  orgdeck ${c.usage}\n      ${c.summary}`);
  return [
    'Usage: orgdeck <command> [--data-dir DIR] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    `--data-dir defaults to the desktop app's data directory (${defaultDataDir()}).`,
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

/** Runs one CLI invocation and returns its exit code: 0 done, 1 refused, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    if (asked) io.out(help());
    else
      io.err(`Unknown command: orgdeck ${argv.slice(0, 2).join(' ')}. Run \`orgdeck --help\` for the list.`);
    return asked ? 0 : 2;
  }
  const { command, rest } = found;
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
  if (args.values.help) {
    io.out(`Usage: orgdeck ${command.usage}\n${command.summary}`);
    return 0;
  }
  const dataDir = (args.values['data-dir'] as string | undefined) ?? defaultDataDir();
  const json = args.values.json === true;
  let backend: Backend | undefined;
  try {
    backend = openBackend({
      dataDir,
      logger: command === serveCommand ? jsonLogger() : silentLogger,
      importWorker: io.importWorker,
      // A self-hosted server runs unattended: it backs itself up daily like the desktop app.
      autoBackups: command === serveCommand,
    });
    await command.run({ values: args.values, positionals: args.positionals }, { backend, io, json, dataDir });
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
    backend?.close();
  }
}

import type { ChannelName, ChannelOutput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/contract/envelope';
import type { Backend } from '../backend';
import type { Keychain } from '../remote/credentials';
import type { CallSession } from '../router/handler';
import type { Router } from '../router/router';
import { LOCAL_OWNER } from '../services/principal';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  /** Asks a person a question and resolves with the answer; absent when no one is at a terminal. */
  ask?(question: string): Promise<string>;
  /** Where the built renderer is, for `serve`. */
  rendererDir: string;
  /** The built usage-import worker next to the CLI bundle, when there is one. */
  importWorker?: URL;
  /** The built backend-host worker next to the CLI bundle: `serve` runs its backend there (in-process without one). */
  hostWorker?: URL;
  /** The built knowledge-extraction worker next to the CLI bundle, when there is one. */
  extractWorker?: URL;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM), for long-running commands. */
  untilStopped(): Promise<void>;
  /** Opens the OS keychain for `remote login` and --remote (tests hand in one that is missing). */
  openKeychain?(): Promise<Keychain>;
}

/**
 * What commands call channels through: this computer's backend (acting as its owner), or with
 * --remote a server, as the user whose token `remote login` stored.
 */
export interface CliBackend {
  router: Router;
  /** The session to call with; absent for the local backend, where the CLI is the owner. */
  session?: CallSession;
}

/** This computer's backend, for commands that work on local files; they refuse --remote before running. */
export function localBackend(local: Backend | undefined): Backend {
  if (!local)
    throw new CliFailure({ code: 'VALIDATION', message: 'This command only works on this computer.' }, 2);
  return local;
}

export class CliFailure extends Error {
  constructor(
    readonly apiError: ApiError,
    readonly exitCode = 1,
  ) {
    super(apiError.message);
  }
}

/**
 * Calls a channel as the data directory's owner (or, with --remote, as the signed-in user);
 * a refused call becomes a CliFailure.
 */
export async function callAsOwner<N extends ChannelName>(
  backend: CliBackend,
  name: N,
  input: unknown,
): Promise<ChannelOutput<N>> {
  const envelope = await backend.router.call(
    name,
    input,
    backend.session ?? { token: null, setToken: () => {}, principal: LOCAL_OWNER },
  );
  if (!envelope.ok) throw new CliFailure(envelope.error);
  return envelope.data as ChannelOutput<N>;
}

export function formatTable(rows: Record<string, string>[], columns: string[]): string {
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.toUpperCase())),
    ...rows.map((row) => line(columns.map((c) => row[c] ?? ''))),
  ].join('\n');
}

/** The first positional argument, or a usage error saying what to name. */
export function requiredArg(positionals: string[], what: string): string {
  const value = positionals[0];
  if (!value) throw new CliFailure({ code: 'VALIDATION', message: what }, 2);
  return value;
}

/** The password from standard input; a password on the command line would end up in shell history and `ps`. */
export async function passwordFromStdin(io: CliIo, flagGiven: boolean): Promise<string> {
  if (!flagGiven) {
    throw new CliFailure(
      { code: 'VALIDATION', message: 'Pass the password on standard input with --password-stdin.' },
      2,
    );
  }
  return (await io.readStdin()).replace(/\r?\n$/, '');
}

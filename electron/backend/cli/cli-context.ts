import type { ChannelName, ChannelOutput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/contract/envelope';
import type { Backend } from '../backend';
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
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM), for long-running commands. */
  untilStopped(): Promise<void>;
}

export class CliFailure extends Error {
  constructor(
    readonly apiError: ApiError,
    readonly exitCode = 1,
  ) {
    super(apiError.message);
  }
}

/** Calls a channel through the router as the data directory's owner; a refused call becomes a CliFailure. */
export async function callAsOwner<N extends ChannelName>(
  backend: Backend,
  name: N,
  input: unknown,
): Promise<ChannelOutput<N>> {
  const envelope = await backend.router.call(name, input, {
    token: null,
    setToken: () => {},
    principal: LOCAL_OWNER,
  });
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

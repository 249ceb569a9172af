import type { ParseArgsOptionsConfig } from 'node:util';
import type { Backend } from '../backend';
import type { CliBackend, CliIo } from './cli-context';

export interface CommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface CommandContext {
  backend: CliBackend;
  /** This computer's backend; undefined with --remote. */
  local: Backend | undefined;
  io: CliIo;
  json: boolean;
  dataDir: string;
  /** The one-time first-run code `serve` prints while the store has no owner (a local serve only). */
  setupCode?: string;
}

export interface Command {
  /** The words that name it: ['org', 'create']. */
  words: string[];
  usage: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  positionals?: number;
  /**
   * 'local': works on this computer's files or store, so it refuses --remote; 'store': the same,
   * but opens the store itself, as it must work when the store cannot be opened (doctor, restore);
   * 'none': opens no backend at all (remote login and status). Otherwise it runs locally or, with
   * --remote, on a server.
   */
  where?: 'local' | 'store' | 'none';
  /** Works on a SQLite file (backups, the doctor): on PostgreSQL the database's own tools do. */
  sqliteOnly?: true;
  /** Resolves when the command is done; `serve` resolves when the server stops. */
  run(args: CommandArgs, ctx: CommandContext): Promise<void>;
}

export const str = (value: CommandArgs['values'][string]): string | undefined =>
  typeof value === 'string' ? value : undefined;

import type { ParseArgsOptionsConfig } from 'node:util';
import type { Backend } from '../backend';
import type { CliIo } from './cli-context';

export interface CommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface CommandContext {
  backend: Backend;
  io: CliIo;
  json: boolean;
  dataDir: string;
}

export interface Command {
  /** The words that name it: ['org', 'create']. */
  words: string[];
  usage: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  positionals?: number;
  /** Resolves when the command is done; `serve` resolves when the server stops. */
  run(args: CommandArgs, ctx: CommandContext): Promise<void>;
}

export const str = (value: CommandArgs['values'][string]): string | undefined =>
  typeof value === 'string' ? value : undefined;

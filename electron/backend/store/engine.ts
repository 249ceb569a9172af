/**
 * What the repositories use of a connection: better-sqlite3's API, which the SQLite connection is
 * and the PostgreSQL one (postgres/pg-db.ts) keeps, so repositories are written once for both.
 */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
  /** Rows as their first column. */
  pluck(toggle?: boolean): this;
  /** Integers as BigInt, for sums past 2^53. */
  safeIntegers(toggle?: boolean): this;
}

// biome-ignore lint/suspicious/noExplicitAny: better-sqlite3's own bound, so its connection fits.
export type AnyFunction = (...params: any[]) => unknown;
export type ArgumentsOf<F extends AnyFunction> = F extends (...args: infer A) => unknown ? A : never;

export interface Transaction<F extends AnyFunction> {
  (...params: ArgumentsOf<F>): ReturnType<F>;
  /** Taking the write lock first (SQLite's BEGIN IMMEDIATE; PostgreSQL locks rows as it writes). */
  immediate(...params: ArgumentsOf<F>): ReturnType<F>;
}

export interface Db {
  prepare<P extends unknown[] | object = unknown[], R = unknown>(
    source: string,
  ): P extends unknown[] ? Statement<P, R> : Statement<[P], R>;
  transaction<F extends AnyFunction>(fn: F): Transaction<F>;
  exec(source: string): unknown;
  close(): unknown;
}

/** A connection that names the engine it runs on: PostgreSQL's does (postgres/pg-db.ts). */
interface NamedEngine {
  readonly engine: 'postgres';
}

/** For the few statements whose meaning differs between the engines (the rest are translated). */
export const onPostgres = (db: Db): boolean => (db as Partial<NamedEngine>).engine === 'postgres';

import type { Db } from '../engine';

/** Rows per multi-row statement: one call into SQLite (or one round trip to PostgreSQL) writes this many. */
export const CHUNK = 500;

/**
 * The statement sizes a list of rows is written in, largest first: what CHUNK rows cannot take
 * goes 25 rows a statement, then one, so a list's tail costs at most 43 statements, not 499 (each a
 * round trip on PostgreSQL), without a statement prepared for every length.
 */
const SIZES = [CHUNK, 25, 1];

/** A value a row writer binds: integers, text, or NULL. */
export type SqlValue = number | string | null;

/**
 * An INSERT of `columns` values per row, run over a flat list of values in statements of SIZES
 * rows. The values go in as arguments, not as one array: better-sqlite3 binds arguments about twice
 * as fast. They are copied into one plain array kept per size, which spreads many times faster than
 * a typed array's slice and allocates nothing per statement.
 */
export function rowsWriter(db: Db, head: string, columns: number, tail = '') {
  const values = (rows: number) =>
    Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');
  const statements = SIZES.map((rows) => ({
    width: rows * columns,
    statement: db.prepare(`${head} VALUES ${values(rows)} ${tail}`),
    args: Array<SqlValue>(rows * columns).fill(0),
  }));
  return (flat: ArrayLike<SqlValue>): void => {
    if (flat.length % columns !== 0)
      throw new Error(`${flat.length} values do not make rows of ${columns}: the caller lost count.`);
    let at = 0;
    for (const { width, statement, args } of statements) {
      for (; at + width <= flat.length; at += width) {
        for (let i = 0; i < width; i++) args[i] = flat[at + i] as SqlValue;
        statement.run(...args);
      }
    }
  };
}

import { AppError } from '../../../shared/contract/envelope';

/** One level of the key: the next key column's values, down to the row's place in the sums. */
type Level = Map<number, Level | number>;

/**
 * Rows of integer key columns and counts, summed per key: what a rollup's upsert adds. PostgreSQL
 * refuses an upsert that meets one key twice in a statement, and one row per key is less to write.
 */
export function keyedSums(keyColumns: number, sumColumns: number) {
  const root: Level = new Map();
  const flat: number[] = [];
  return {
    /** Adds `sums` to the row of `key` (keyColumns values), made at its first add. */
    add(key: readonly number[], sums: readonly number[]): void {
      let level = root;
      for (let column = 0; column < keyColumns - 1; column++) {
        let next = level.get(key[column] as number) as Level | undefined;
        if (next === undefined) {
          next = new Map();
          level.set(key[column] as number, next);
        }
        level = next;
      }
      let at = level.get(key[keyColumns - 1] as number) as number | undefined;
      if (at === undefined) {
        at = flat.length + keyColumns;
        level.set(key[keyColumns - 1] as number, at);
        flat.push(...key, ...Array<number>(sumColumns).fill(0));
      }
      for (let column = 0; column < sumColumns; column++) {
        const sum = (flat[at + column] as number) + (sums[column] as number);
        if (!Number.isSafeInteger(sum))
          throw new AppError(
            'VALIDATION',
            `The usage of one month sums past ${Number.MAX_SAFE_INTEGER} tokens, more than can be summed ` +
              'exactly; nothing from this file was imported.',
          );
        flat[at + column] = sum;
      }
    },
    /** Every key's row, flat: its key columns, then its sums. */
    rows: (): readonly number[] => flat,
  };
}

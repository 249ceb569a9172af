import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** The audit chain's canonical form of an entry: its fields as a JSON array, after the previous hash. */
export const AUDIT_CANONICAL = `char(10) || json_array(id, at, actor_id, actor_label, org_id, action, target_type, target_id, summary)`;

/** SQL functions the schema relies on; registered on every connection before it is used. */
export function registerSqlFunctions(db: Database): void {
  db.function('orgdeck_sha256', { deterministic: true }, (text: unknown) =>
    createHash('sha256').update(String(text)).digest('hex'),
  );
  // SQLite's sum() fails with "integer overflow" past 2^63 and its products silently become REAL;
  // token sums and costs (tokens × pico-USD) pass that, so they are summed as BigInt and returned
  // as decimal text, which the repositories read back with BigInt().
  db.aggregate<bigint>('exact_sum', {
    start: 0n,
    varargs: true,
    safeIntegers: true,
    deterministic: true,
    step: (total, ...values: unknown[]) => {
      let sum = total;
      for (const value of values) if (typeof value === 'bigint') sum += value;
      return sum;
    },
    result: (total) => total.toString(),
  });
  /** exact_sum_of_products(a1, b1, a2, b2, …): the sum of every a × b where both are integers. */
  db.aggregate<bigint>('exact_sum_of_products', {
    start: 0n,
    varargs: true,
    safeIntegers: true,
    deterministic: true,
    step: (total, ...values: unknown[]) => {
      let sum = total;
      for (let i = 0; i + 1 < values.length; i += 2) {
        const a = values[i];
        const b = values[i + 1];
        if (typeof a === 'bigint' && typeof b === 'bigint') sum += a * b;
      }
      return sum;
    },
    result: (total) => total.toString(),
  });
}

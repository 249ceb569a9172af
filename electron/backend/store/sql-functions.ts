import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** The audit chain's canonical form of an entry: its fields as a JSON array, after the previous hash. */
export const AUDIT_CANONICAL = `char(10) || json_array(id, at, actor_id, actor_label, org_id, action, target_type, target_id, summary)`;

/** SQL functions the schema relies on; registered on every connection before it is used. */
export function registerSqlFunctions(db: Database): void {
  db.function('orgdeck_sha256', { deterministic: true }, (text: unknown) =>
    createHash('sha256').update(String(text)).digest('hex'),
  );
  // SQLite's sum() fails with "integer overflow" past 2^63: token sums that pass it are summed as
  // BigInt and returned as decimal text, which the repositories read back with BigInt().
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
}

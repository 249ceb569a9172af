import type { Database } from 'better-sqlite3';
import { auditEntryHash } from './audit-chain';

/** An audit entry's hash in SQL, given its previous hash: the columns it covers, in the chain's order. */
export const auditHashSql = (prevHash: string) =>
  `orgdeck_audit_hash(${prevHash}, id, at, actor_id, actor_label, org_id, action, target_type, target_id, summary)`;

/** SQL functions the schema relies on; registered on every connection before it is used. */
export function registerSqlFunctions(db: Database): void {
  // The chain is hashed in TypeScript on both engines (PostgreSQL's json_build_array spells JSON
  // differently), so one function defines it.
  db.function(
    'orgdeck_audit_hash',
    { deterministic: true },
    (prevHash, id, at, actorId, actorLabel, orgId, action, targetType, targetId, summary) =>
      auditEntryHash(prevHash as string, {
        id: id as number,
        at: at as string,
        actor_id: actorId as string | null,
        actor_label: actorLabel as string,
        org_id: orgId as string | null,
        action: action as string,
        target_type: targetType as string,
        target_id: targetId as string,
        summary: summary as string,
      }),
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

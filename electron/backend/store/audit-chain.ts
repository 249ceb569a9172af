import { createHash } from 'node:crypto';

/** The fields of an audit entry its hash covers, in the chain's order. */
export interface ChainedFields {
  id: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  org_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  summary: string;
}

/**
 * An entry's hash: SHA-256 of the previous hash, a newline and the entry's fields as a JSON array.
 * The same bytes SQLite's `orgdeck_sha256(prev || char(10) || json_array(…))` hashes
 * (sql-functions.ts), so a chain built by either engine verifies on the other.
 */
export function auditHash(prevHash: string, entry: ChainedFields): string {
  const fields = [
    entry.id,
    entry.at,
    entry.actor_id,
    entry.actor_label,
    entry.org_id,
    entry.action,
    entry.target_type,
    entry.target_id,
    entry.summary,
  ];
  return createHash('sha256')
    .update(`${prevHash}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

/** Why `entry` breaks the chain after `previous` (undefined for the first entry), or undefined when it holds. */
export function chainBreak(
  previous: { id: number; hash: string } | undefined,
  entry: ChainedFields & { prev_hash: string; hash: string },
): string | undefined {
  if (entry.prev_hash !== (previous?.hash ?? '') || (previous && entry.id !== previous.id + 1))
    return 'it does not follow the entry before it';
  if (entry.hash !== auditHash(entry.prev_hash, entry)) return 'its content does not match its hash';
  return undefined;
}

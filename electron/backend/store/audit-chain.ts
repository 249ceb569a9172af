import { createHash } from 'node:crypto';

/** What an audit entry's hash covers, and the links that chain it to the entry before it. */
export interface ChainedAuditEntry {
  id: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  org_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  summary: string;
  prev_hash: string;
  hash: string;
}

export type AuditHashInput = Omit<ChainedAuditEntry, 'prev_hash' | 'hash'>;

export interface BrokenAuditLink {
  id: number;
  reason: string;
}

/**
 * SHA-256 (hex) of the previous hash, a newline and the entry's fields as a compact JSON array.
 * JSON.stringify spells that array byte for byte as SQLite's json_array did when it sealed the
 * older entries (every code point checked), so chains sealed then still verify, on either engine.
 */
export function auditEntryHash(prevHash: string, entry: AuditHashInput): string {
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

/**
 * Checks entries handed to it in id order, one at a time (a trail can be longer than memory), and
 * says why an entry breaks the chain: it does not name the hash before it, or its fields, or its
 * place (ids follow each other without gaps), do not match its own hash.
 */
export function auditChainChecker(): (entry: ChainedAuditEntry) => BrokenAuditLink | undefined {
  let previous: ChainedAuditEntry | undefined;
  return (entry) => {
    const before = previous;
    previous = entry;
    if (entry.prev_hash !== (before?.hash ?? ''))
      return { id: entry.id, reason: 'it does not follow the entry before it' };
    if (entry.hash !== auditEntryHash(entry.prev_hash, entry) || (before && entry.id !== before.id + 1))
      return { id: entry.id, reason: 'its content does not match its hash' };
    return undefined;
  };
}

/** The first entry that breaks the chain, or undefined when the whole trail holds. */
export function firstBrokenAuditLink(entries: Iterable<ChainedAuditEntry>): BrokenAuditLink | undefined {
  const check = auditChainChecker();
  for (const entry of entries) {
    const broken = check(entry);
    if (broken) return broken;
  }
  return undefined;
}

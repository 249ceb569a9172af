import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type AuditHashInput, auditEntryHash } from '../../../electron/backend/store/audit-chain';

/** How SQLite sealed entries before the chain was hashed in TypeScript: sha256 over json_array. */
function sealedBySqliteJsonArray(prevHash: string, entry: AuditHashInput): string {
  const db = new Database(':memory:');
  db.function('sha256_hex', (text) => createHash('sha256').update(String(text)).digest('hex'));
  try {
    return db
      .prepare(
        `SELECT sha256_hex(:prev || char(10) || json_array(CAST(:id AS INTEGER), :at, :actor_id, :actor_label,
           :org_id, :action, :target_type, :target_id, :summary))`,
      )
      .pluck()
      .get({ prev: prevHash, ...entry }) as string;
  } finally {
    db.close();
  }
}

const entry: AuditHashInput = {
  id: 41,
  at: '2026-03-02T08:00:00.000Z',
  actor_id: 'user-1',
  actor_label: 'Olivia Owner',
  org_id: 'org-1',
  action: 'org.updated',
  target_type: 'org',
  target_id: 'org-1',
  summary: '{"after":{"name":"Acme"}}',
};

describe('the audit chain hash', () => {
  it.each([
    ['plain fields', entry],
    ['an entry of no org, by no user', { ...entry, org_id: null, actor_id: null }],
    ['quotes, backslashes and slashes', { ...entry, actor_label: 'O"Brien \\ a/b' }],
    [
      'control characters',
      { ...entry, summary: '{"after":{"note":"a\\tb"}}', target_id: 'x\u0000\u0001\u001f\n\t\r\b\f\u007f' },
    ],
    ['non-ASCII text', { ...entry, actor_label: 'Zoë — “quoted” 名前 🚀 \u2028\u2029' }],
    ['a large id', { ...entry, id: 2 ** 53 - 1 }],
  ])('matches what SQLite sealed for %s, so older chains still verify', (_what, input) => {
    const prev = 'a'.repeat(64);
    expect(auditEntryHash(prev, input)).toBe(sealedBySqliteJsonArray(prev, input));
  });

  it('changes when any covered field or the previous hash changes', () => {
    const hash = auditEntryHash('', entry);
    expect(auditEntryHash('x', entry)).not.toBe(hash);
    for (const field of Object.keys(entry) as (keyof AuditHashInput)[])
      expect(auditEntryHash('', { ...entry, [field]: field === 'id' ? 42 : 'changed' }), field).not.toBe(
        hash,
      );
  });
});

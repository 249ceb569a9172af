import type { Migration } from '../migrate';
import { auditHashSql, registerSqlFunctions } from '../sql-functions';

export const auditChain: Migration = {
  version: 6,
  name: 'a hash chain over the audit trail',
  sql: `
    ALTER TABLE audit_events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE audit_events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
  `,
  after(db) {
    registerSqlFunctions(db);
    const rows = db.prepare<[], { id: number }>('SELECT id FROM audit_events ORDER BY id').all();
    const seal = db.prepare<{ id: number; prev: string }>(
      `UPDATE audit_events SET prev_hash = :prev, hash = ${auditHashSql(':prev')} WHERE id = :id`,
    );
    const hashOf = db.prepare<{ id: number }, { hash: string }>(
      'SELECT hash FROM audit_events WHERE id = :id',
    );
    let prev = '';
    for (const { id } of rows) {
      seal.run({ id, prev });
      prev = hashOf.get({ id })?.hash ?? '';
    }
  },
};

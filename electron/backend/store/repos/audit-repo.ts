import type { Db } from '../database';

export interface AuditRow {
  id: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  org_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON: { before?, after?, ... } */
  summary: string;
}

export function createAuditRepo(db: Db) {
  const insert = db.prepare<Omit<AuditRow, 'id'>>(
    `INSERT INTO audit_events (at, actor_id, actor_label, org_id, action, target_type, target_id, summary)
     VALUES (:at, :actor_id, :actor_label, :org_id, :action, :target_type, :target_id, :summary)`,
  );
  const recent = db.prepare<{ limit: number }, AuditRow>(
    'SELECT * FROM audit_events ORDER BY id DESC LIMIT :limit',
  );
  return {
    insert: (row: Omit<AuditRow, 'id'>) => void insert.run(row),
    recent: (limit: number) => recent.all({ limit }),
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;

import type { Db } from '../engine';

export interface InactivePeriodRow {
  org_id: string;
  from_at: string;
  to_at: string | null;
}

/** When orgs were inactive: prorated billing leaves those spans out. */
export function createOrgActivityRepo(db: Db) {
  const open = db.prepare<{ org_id: string; at: string }>(
    'INSERT INTO org_inactive_periods (org_id, from_at) VALUES (:org_id, :at)',
  );
  const close = db.prepare<{ org_id: string; at: string }>(
    'UPDATE org_inactive_periods SET to_at = :at WHERE org_id = :org_id AND to_at IS NULL',
  );
  const all = db.prepare<[], InactivePeriodRow>('SELECT org_id, from_at, to_at FROM org_inactive_periods');
  return {
    startInactive: (orgId: string, at: string) => void open.run({ org_id: orgId, at }),
    endInactive: (orgId: string, at: string) => void close.run({ org_id: orgId, at }),
    all: () => all.all(),
  };
}

export type OrgActivityRepo = ReturnType<typeof createOrgActivityRepo>;

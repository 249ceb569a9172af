import type { MembershipRole } from '../../../../shared/domain/permissions';
import type { Db } from '../engine';

export interface MembershipRow {
  user_id: string;
  org_id: string;
  role: MembershipRole;
  created_at: string;
}

/** A membership with the names a list shows; deleted orgs included (the caller decides). */
export type MembershipView = MembershipRow & {
  org_slug: string;
  org_name: string;
  org_deleted: 0 | 1;
  user_email: string;
  user_name: string;
};

const SELECT = `SELECT m.*, o.slug AS org_slug, o.name AS org_name, (o.deleted_at IS NOT NULL) AS org_deleted,
  u.email AS user_email, u.name AS user_name
  FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id`;

export function createMembershipsRepo(db: Db) {
  const ofUser = db.prepare<{ user_id: string }, MembershipView>(
    `${SELECT} WHERE m.user_id = :user_id ORDER BY o.name COLLATE NOCASE`,
  );
  const ofOrg = db.prepare<{ org_id: string }, MembershipView>(
    `${SELECT} WHERE m.org_id = :org_id ORDER BY u.name COLLATE NOCASE`,
  );
  const all = db.prepare<[], MembershipView>(
    `${SELECT} ORDER BY o.name COLLATE NOCASE, u.name COLLATE NOCASE`,
  );
  const one = db.prepare<{ user_id: string; org_id: string }, MembershipRow>(
    'SELECT * FROM memberships WHERE user_id = :user_id AND org_id = :org_id',
  );
  // Every live client org, for a user who serves them all: resolved per call, so new clients count at once.
  const liveClientOrgs = db.prepare<[], { id: string }>(
    'SELECT id FROM orgs WHERE is_owner = 0 AND deleted_at IS NULL ORDER BY id',
  );
  const upsert = db.prepare<MembershipRow>(
    `INSERT INTO memberships (user_id, org_id, role, created_at) VALUES (:user_id, :org_id, :role, :created_at)
     ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role`,
  );
  const remove = db.prepare<{ user_id: string; org_id: string }>(
    'DELETE FROM memberships WHERE user_id = :user_id AND org_id = :org_id',
  );
  const removeOrg = db.prepare<{ org_id: string }>('DELETE FROM memberships WHERE org_id = :org_id');

  return {
    ofUser: (userId: string) => ofUser.all({ user_id: userId }),
    ofOrg: (orgId: string) => ofOrg.all({ org_id: orgId }),
    all: () => all.all(),
    get: (userId: string, orgId: string) => one.get({ user_id: userId, org_id: orgId }),
    liveClientOrgIds: () => liveClientOrgs.all().map((row) => row.id),
    put: (row: MembershipRow) => void upsert.run(row),
    remove: (userId: string, orgId: string) => remove.run({ user_id: userId, org_id: orgId }).changes > 0,
    removeOrg: (orgId: string) => void removeOrg.run({ org_id: orgId }),
  };
}

export type MembershipsRepo = ReturnType<typeof createMembershipsRepo>;

import type { MembershipRole } from '../../../../shared/domain/permissions';
import type { Db } from '../engine';

export interface InviteRow {
  id: string;
  code_hash: string;
  email: string;
  /** The audit label of who made it. */
  invited_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
  revoked_at: string | null;
}

export interface InviteMembershipRow {
  invite_id: string;
  org_id: string;
  role: MembershipRole;
}

export type InviteMembershipView = InviteMembershipRow & { org_slug: string; org_name: string };

export function createInvitesRepo(db: Db) {
  const insert = db.prepare<InviteRow>(
    `INSERT INTO invites (id, code_hash, email, invited_by, created_at, expires_at, used_at, used_by, revoked_at)
     VALUES (:id, :code_hash, :email, :invited_by, :created_at, :expires_at, :used_at, :used_by, :revoked_at)`,
  );
  const insertMembership = db.prepare<InviteMembershipRow>(
    'INSERT INTO invite_memberships (invite_id, org_id, role) VALUES (:invite_id, :org_id, :role)',
  );
  const byId = db.prepare<{ id: string }, InviteRow>('SELECT * FROM invites WHERE id = :id');
  const byCodeHash = db.prepare<{ code_hash: string }, InviteRow>(
    'SELECT * FROM invites WHERE code_hash = :code_hash',
  );
  const memberships = db.prepare<{ id: string }, InviteMembershipView>(
    `SELECT im.*, o.slug AS org_slug, o.name AS org_name FROM invite_memberships im
     JOIN orgs o ON o.id = im.org_id WHERE im.invite_id = :id ORDER BY o.name COLLATE NOCASE`,
  );
  const newestFirst = db.prepare<[], InviteRow>('SELECT * FROM invites ORDER BY created_at DESC, id');
  // Spent only if still unused, unrevoked and unexpired: two accepts racing cannot both win.
  const spend = db.prepare<{ id: string; now: string; user_id: string }>(
    `UPDATE invites SET used_at = :now, used_by = :user_id
     WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now`,
  );
  const revoke = db.prepare<{ id: string; now: string }>(
    'UPDATE invites SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL AND used_at IS NULL',
  );

  return {
    insert(row: InviteRow, roles: InviteMembershipRow[]): void {
      insert.run(row);
      for (const role of roles) insertMembership.run(role);
    },
    byId: (id: string) => byId.get({ id }),
    byCodeHash: (codeHash: string) => byCodeHash.get({ code_hash: codeHash }),
    memberships: (id: string) => memberships.all({ id }),
    all: () => newestFirst.all(),
    spend: (id: string, userId: string, now: string) => spend.run({ id, now, user_id: userId }).changes > 0,
    revoke: (id: string, now: string) => revoke.run({ id, now }).changes > 0,
  };
}

export type InvitesRepo = ReturnType<typeof createInvitesRepo>;

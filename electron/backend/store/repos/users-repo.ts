import type { MembershipRole, Page, Role } from '../../../../shared/domain/permissions';
import { type Db, onPostgres } from '../engine';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  /** JSON array of Page names. */
  pages: string;
  /** The role of a `user` who serves every client org; null for everyone else. */
  all_client_orgs_role: MembershipRole | null;
  /** A sealed TOTP seed waiting for its first code (see totp-seal.ts). */
  totp_pending_seed: string | null;
  /** The sealed TOTP seed asked for at every sign-in; null without two-factor sign-in. */
  totp_seed: string | null;
  totp_enrolled_at: string | null;
  disabled: 0 | 1;
  created_at: string;
  updated_at: string;
}

/** The two-factor columns of an account without a second factor. */
export const NO_SECOND_FACTOR = { totp_pending_seed: null, totp_seed: null, totp_enrolled_at: null } as const;

export const userPages = (row: UserRow): Page[] => JSON.parse(row.pages) as Page[];

export function createUsersRepo(db: Db) {
  const list = db.prepare<{ search: string | null }, UserRow>(
    `SELECT * FROM users WHERE :search IS NULL OR instr(lower(name), lower(:search)) > 0
                 OR instr(lower(email), lower(:search)) > 0
     ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'billing_admin' THEN 2 ELSE 3 END,
       name COLLATE NOCASE`,
  );
  // Any case: SQLite's column compares without case, and PostgreSQL's reads lower(email), its unique key.
  const byEmail = db.prepare<{ email: string }, UserRow>(
    'SELECT * FROM users WHERE email COLLATE NOCASE = lower(:email)',
  );
  const byId = db.prepare<{ id: string }, UserRow>('SELECT * FROM users WHERE id = :id');
  // Held to the transaction's end on PostgreSQL: a password reset's update waits for it, then ends
  // what it started. SQLite's one writer orders them already.
  const heldById = db.prepare<{ id: string }, UserRow>(
    `SELECT * FROM users WHERE id = :id${onPostgres(db) ? ' FOR SHARE' : ''}`,
  );
  /** Users whose only membership is in this org: they belong to it, and leave with it. */
  const onlyIn = db.prepare<{ org_id: string }, { id: string }>(
    `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.org_id = :org_id
     WHERE u.role = 'user' AND u.all_client_orgs_role IS NULL
       AND NOT EXISTS (SELECT 1 FROM memberships other WHERE other.user_id = u.id AND other.org_id <> :org_id)
     ORDER BY u.id`,
  );
  const ACTIVE_OWNERS = "SELECT id FROM users WHERE role = 'owner' AND disabled = 0 ORDER BY id";
  const ownerCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM (${ACTIVE_OWNERS}) owners`);
  // PostgreSQL: two servers' transactions that each take one of two owners away would each count
  // two and leave none; locking the rows counted makes the second wait for the first's commit and
  // count again. SQLite's one writer keeps that order by itself.
  const ownerCountLocked = onPostgres(db)
    ? db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM (${ACTIVE_OWNERS} FOR UPDATE) owners`)
    : ownerCount;
  const byIdLocked = onPostgres(db)
    ? db.prepare<{ id: string }, UserRow>('SELECT * FROM users WHERE id = :id FOR UPDATE')
    : byId;
  const insert = db.prepare<UserRow>(
    `INSERT INTO users (id, email, name, role, password_hash, pages, all_client_orgs_role, totp_pending_seed,
       totp_seed, totp_enrolled_at, disabled, created_at, updated_at)
     VALUES (:id, :email, :name, :role, :password_hash, :pages, :all_client_orgs_role, :totp_pending_seed,
       :totp_seed, :totp_enrolled_at, :disabled, :created_at, :updated_at)`,
  );
  const update = db.prepare<Omit<UserRow, 'email' | 'created_at'>>(
    `UPDATE users SET name = :name, role = :role, password_hash = :password_hash, pages = :pages,
       all_client_orgs_role = :all_client_orgs_role, totp_pending_seed = :totp_pending_seed, totp_seed = :totp_seed,
       totp_enrolled_at = :totp_enrolled_at, disabled = :disabled, updated_at = :updated_at
     WHERE id = :id`,
  );
  const remove = db.prepare<{ id: string }>('DELETE FROM users WHERE id = :id');
  // One statement: of two sign-ins with the same code at once, one moves the step and the other finds it moved.
  const takeTotpStep = db.prepare<{ id: string; step: number }>(
    `UPDATE users SET totp_last_step = :step
     WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)`,
  );

  return {
    list: (search?: string) => list.all({ search: search || null }),
    byEmail: (email: string) => byEmail.get({ email }),
    byId: (id: string) => byId.get({ id }),
    /** The user, its row kept from changing until the transaction ends (a session or token being made for it). */
    heldById: (id: string) => heldById.get({ id }),
    onlyIn: (orgId: string) => onlyIn.all({ org_id: orgId }).map((row) => row.id),
    activeOwners: () => ownerCount.get()?.n ?? 0,
    /**
     * Active owners, counted by a write that may take one away: until it ends, no other can. Their
     * rows are locked in id order, before the row the write changes (byIdForChange).
     */
    activeOwnersForChange: () => ownerCountLocked.get()?.n ?? 0,
    /** A user as a write that changes them reads them: on PostgreSQL, locked until it ends. */
    byIdForChange: (id: string) => byIdLocked.get({ id }),
    insert: (row: UserRow) => void insert.run(row),
    update: ({ email: _email, created_at: _created, ...row }: UserRow) => void update.run(row),
    remove: (id: string) => void remove.run({ id }),
    /** Takes authenticator step `step` for the user: false if it, or a later one, was taken before. */
    takeTotpStep: (id: string, step: number) => takeTotpStep.run({ id, step }).changes === 1,
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;

import type { Page, Role } from '../../../../shared/domain/permissions';
import type { Db } from '../database';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  bound_org_id: string | null;
  /** JSON array of Page names. */
  pages: string;
  disabled: 0 | 1;
  created_at: string;
  updated_at: string;
}

export type UserWithOrg = UserRow & { bound_org_name: string | null };

const SELECT = `SELECT users.*, orgs.name AS bound_org_name FROM users LEFT JOIN orgs ON orgs.id = users.bound_org_id`;

export const userPages = (row: UserRow): Page[] => JSON.parse(row.pages) as Page[];

export function createUsersRepo(db: Db) {
  const list = db.prepare<{ search: string | null }, UserWithOrg>(
    `${SELECT} WHERE :search IS NULL OR instr(lower(users.name), lower(:search)) > 0
                 OR instr(lower(users.email), lower(:search)) > 0
     ORDER BY CASE users.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, users.name COLLATE NOCASE`,
  );
  const byEmail = db.prepare<{ email: string }, UserWithOrg>(`${SELECT} WHERE users.email = :email`);
  const byId = db.prepare<{ id: string }, UserWithOrg>(`${SELECT} WHERE users.id = :id`);
  const boundTo = db.prepare<{ org_id: string }, { id: string }>(
    'SELECT id FROM users WHERE bound_org_id = :org_id',
  );
  const ownerCount = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM users WHERE role = 'owner' AND disabled = 0",
  );
  const insert = db.prepare<UserRow>(
    `INSERT INTO users (id, email, name, role, password_hash, bound_org_id, pages, disabled, created_at, updated_at)
     VALUES (:id, :email, :name, :role, :password_hash, :bound_org_id, :pages, :disabled, :created_at, :updated_at)`,
  );
  const update = db.prepare<Omit<UserRow, 'email' | 'created_at'>>(
    `UPDATE users SET name = :name, role = :role, password_hash = :password_hash, bound_org_id = :bound_org_id,
       pages = :pages, disabled = :disabled, updated_at = :updated_at
     WHERE id = :id`,
  );
  const remove = db.prepare<{ id: string }>('DELETE FROM users WHERE id = :id');

  return {
    list: (search?: string) => list.all({ search: search || null }),
    byEmail: (email: string) => byEmail.get({ email }),
    byId: (id: string) => byId.get({ id }),
    boundTo: (orgId: string) => boundTo.all({ org_id: orgId }).map((row) => row.id),
    activeOwners: () => ownerCount.get()?.n ?? 0,
    insert: (row: UserRow) => void insert.run(row),
    update: ({ email: _email, created_at: _created, ...row }: UserRow) => void update.run(row),
    remove: (id: string) => void remove.run({ id }),
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;

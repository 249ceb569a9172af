import type { Role } from '../../../../shared/domain/permissions';
import type { Db } from '../database';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  bound_org_id: string | null;
  disabled: 0 | 1;
  created_at: string;
  updated_at: string;
}

export function createUsersRepo(db: Db) {
  const byEmail = db.prepare<{ email: string }, UserRow>('SELECT * FROM users WHERE email = :email');
  const byId = db.prepare<{ id: string }, UserRow>('SELECT * FROM users WHERE id = :id');
  const ownerCount = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM users WHERE role = 'owner' AND disabled = 0",
  );
  const insert = db.prepare<UserRow>(
    `INSERT INTO users (id, email, name, role, password_hash, bound_org_id, disabled, created_at, updated_at)
     VALUES (:id, :email, :name, :role, :password_hash, :bound_org_id, :disabled, :created_at, :updated_at)`,
  );

  return {
    byEmail: (email: string) => byEmail.get({ email }),
    byId: (id: string) => byId.get({ id }),
    activeOwners: () => ownerCount.get()?.n ?? 0,
    insert: (row: UserRow) => void insert.run(row),
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;

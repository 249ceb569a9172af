import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { memberships } from '../../../electron/backend/store/migrations/012-memberships';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const T = '2026-01-01T00:00:00.000Z';
const ACME = '00000000-0000-4000-8000-0000000000c1';
const OWNER = '00000000-0000-4000-8000-0000000000a1';
const BOUND = '00000000-0000-4000-8000-0000000000a2';
const ADMIN = '00000000-0000-4000-8000-0000000000a3';
const LONER = '00000000-0000-4000-8000-0000000000a4';

describe(`migration ${memberships.version}: memberships`, () => {
  let dir: string;
  let db: SqliteDb;

  beforeEach(() => {
    dir = makeTempDir('orgdeck-memberships-');
  });

  afterEach(() => {
    if (db?.open) db.close();
    removeDir(dir);
  });

  it('creates the memberships table and the billing admin role on an empty store', () => {
    db = openDatabase(join(dir, 'orgdeck.db'));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.prepare(
      `INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
       VALUES (?, 'money@example.com', 'Money', 'billing_admin', 'x', ?, ?)`,
    ).run(OWNER, T, T);
    expect(db.prepare('SELECT count(*) FROM memberships').pluck().get()).toBe(0);
  });

  it('turns each binding of a user into one member membership, keeping pages, sessions and API tokens', () => {
    db = openDatabase(join(dir, 'orgdeck.db'), { migrateTo: memberships.version - 1 });
    db.exec(`
      INSERT INTO orgs (id, slug, name, created_at, updated_at) VALUES ('${ACME}', 'acme', 'Acme', '${T}', '${T}');
      INSERT INTO users (id, email, name, role, password_hash, bound_org_id, pages, created_at, updated_at) VALUES
        ('${OWNER}', 'owner@example.com', 'Owner', 'owner', 'h1', NULL, '[]', '${T}', '${T}'),
        ('${BOUND}', 'bound@example.com', 'Bound', 'user', 'h2', '${ACME}', '["agents","audit"]', '${T}', '${T}'),
        -- An admin's binding limited nothing: it gives no membership.
        ('${ADMIN}', 'admin@example.com', 'Admin', 'admin', 'h3', '${ACME}', '[]', '${T}', '${T}'),
        ('${LONER}', 'loner@example.com', 'Loner', 'user', 'h4', NULL, '["knowledge"]', '${T}', '${T}');
      INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('s1', '${BOUND}', '${T}', '2099-01-01T00:00:00.000Z');
      INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at)
        VALUES ('t1', '${BOUND}', 'script', 'th', 'odk_', '${T}', '2099-01-01T00:00:00.000Z');
    `);
    migrate(db, MIGRATIONS, memberships.version);

    expect(db.prepare('SELECT user_id, org_id, role FROM memberships').all()).toEqual([
      { user_id: BOUND, org_id: ACME, role: 'member' },
    ]);
    const users = db.prepare('SELECT id, role, pages, password_hash FROM users ORDER BY id').all();
    expect(users).toEqual([
      { id: OWNER, role: 'owner', pages: '[]', password_hash: 'h1' },
      { id: BOUND, role: 'user', pages: '["agents","audit"]', password_hash: 'h2' },
      { id: ADMIN, role: 'admin', pages: '[]', password_hash: 'h3' },
      { id: LONER, role: 'user', pages: '["knowledge"]', password_hash: 'h4' },
    ]);
    expect(db.prepare('SELECT token_hash, user_id FROM sessions').all()).toEqual([
      { token_hash: 's1', user_id: BOUND },
    ]);
    expect(db.prepare('SELECT id, user_id FROM api_tokens').all()).toEqual([{ id: 't1', user_id: BOUND }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Deleting a user still takes their sessions, tokens and memberships with them.
    db.prepare('DELETE FROM users WHERE id = ?').run(BOUND);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM api_tokens').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM memberships').pluck().get()).toBe(0);
  });
});

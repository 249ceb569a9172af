import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { sharedServerState } from '../../../electron/backend/store/migrations/023-shared-server-state';
import { createSignInFailuresRepo } from '../../../electron/backend/store/repos/sign-in-failures-repo';
import { createUploadsRepo } from '../../../electron/backend/store/repos/uploads-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = sharedServerState.version;
const USER = '00000000-0000-4000-8000-0000000000a1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-shared-state-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const addUser = () =>
  db.exec(`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
    VALUES ('${USER}', 'a@example.com', 'A', 'user', 'x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);

/** A failure counted twice, forgotten after a day; an upload of the user, gone with the user. */
function sharedStateWorks(): void {
  const failures = createSignInFailuresRepo(db);
  const key = { kind: 'accountAtAddress', key: 'a@example.com', address: '203.0.113.9' } as const;
  failures.fail(key, '2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  failures.fail(key, '2026-01-02T00:01:00.000Z', '2026-01-01T00:01:00.000Z');
  expect(failures.count(key)).toEqual({ failures: 2, last_failed_at: '2026-01-02T00:01:00.000Z' });
  // A day later the count starts again.
  failures.fail(key, '2026-01-03T00:01:00.000Z', '2026-01-02T00:01:00.000Z');
  expect(failures.count(key)?.failures).toBe(1);

  const uploads = createUploadsRepo(db);
  uploads.begin({
    id: 'u1',
    user_id: USER,
    purpose: 'usage',
    file_name: 'usage.csv',
    size: 10,
    received: 0,
    last_active_at: '2026-01-02T00:00:00.000Z',
  });
  expect(uploads.advance('u1', 0, 4, '2026-01-02T00:00:01.000Z')).toBe(true);
  // Not from where the upload stands, or past its size: refused.
  expect(uploads.advance('u1', 0, 4, '2026-01-02T00:00:02.000Z')).toBe(false);
  expect(uploads.advance('u1', 4, 7, '2026-01-02T00:00:02.000Z')).toBe(false);
  expect(uploads.owned('u1', USER)?.received).toBe(4);
  expect(uploads.owned('u1', null)).toBeUndefined();
  db.exec(`DELETE FROM users WHERE id = '${USER}'`);
  expect(uploads.exists('u1')).toBe(false);
}

describe(`migration ${VERSION} (${sharedServerState.name})`, () => {
  it('from an empty file: failures count and uploads keep their place', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    addUser();
    sharedStateWorks();
  });

  it(`from version ${VERSION - 1}: its users stay, with no failure counted and no upload open`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    addUser();
    const before = db.prepare('SELECT * FROM users').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM users').all()).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM sign_in_failures').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM uploads').pluck().get()).toBe(0);
    sharedStateWorks();
  });
});

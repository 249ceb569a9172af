import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { totpLastStep } from '../../../electron/backend/store/migrations/026-totp-last-step';
import { createUsersRepo } from '../../../electron/backend/store/repos/users-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = totpLastStep.version;
const USER = '00000000-0000-4000-8000-0000000000a1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-totp-last-step-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

describe(`migration ${VERSION} (${totpLastStep.name})`, () => {
  it('from an empty file: users have no step taken', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    expect(
      db
        .prepare("SELECT type, \"notnull\" FROM pragma_table_info('users') WHERE name = 'totp_last_step'")
        .get(),
    ).toEqual({ type: 'INTEGER', notnull: 0 });
  });

  it(`from version ${VERSION - 1} with a user: the user unchanged, each step taken once and in order`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    db.exec(`
      INSERT INTO users (id, email, name, role, password_hash, totp_seed, disabled, created_at, updated_at)
      VALUES ('${USER}', 'ann@example.com', 'Ann', 'owner', 'scrypt$x', 'sealed', 0,
              '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    `);
    const before = db.prepare('SELECT * FROM users').get();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM users').get()).toEqual({ ...(before as object), totp_last_step: null });
    const users = createUsersRepo(db);
    expect(users.takeTotpStep(USER, 59_000_000)).toBe(true);
    expect(users.takeTotpStep(USER, 59_000_000)).toBe(false);
    expect(users.takeTotpStep(USER, 58_999_999)).toBe(false);
    expect(users.takeTotpStep(USER, 59_000_001)).toBe(true);
  });
});

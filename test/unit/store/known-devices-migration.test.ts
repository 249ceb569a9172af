import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { knownDevices } from '../../../electron/backend/store/migrations/013-known-devices';
import { createKnownDevicesRepo } from '../../../electron/backend/store/repos/known-devices-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = knownDevices.version;
const USER = '00000000-0000-4000-8000-0000000000a1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-known-devices-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

function userAt(db: SqliteDb): void {
  db.exec(`
    INSERT INTO users (id, email, name, role, password_hash, disabled, created_at, updated_at)
    VALUES ('${USER}', 'owner@example.com', 'Owner', 'owner', 'scrypt$x', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at)
    VALUES ('t1', '${USER}', 'CI', 'h', 'odk_abc', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
  `);
}

describe(`migration ${VERSION} (${knownDevices.name})`, () => {
  it('from an empty file: the table is there, STRICT', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'known_devices'").get()).toEqual({
      strict: 1,
    });
  });

  it(`from version ${VERSION - 1} with data: users and tokens unchanged, devices follow their user`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    userAt(db);
    const before = db.prepare('SELECT * FROM users, api_tokens').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM users, api_tokens').all()).toEqual(before);
    const devices = createKnownDevicesRepo(db);
    devices.remember('device-hash', USER, '2026-02-01T00:00:00.000Z');
    devices.remember('device-hash', USER, '2026-02-02T00:00:00.000Z');
    expect(devices.isKnown('device-hash', USER)).toBe(true);
    expect(devices.isKnown('device-hash', 'someone-else')).toBe(false);
    expect(db.prepare('SELECT created_at, last_used_at FROM known_devices').all()).toEqual([
      { created_at: '2026-02-01T00:00:00.000Z', last_used_at: '2026-02-02T00:00:00.000Z' },
    ]);
    db.prepare('DELETE FROM users WHERE id = ?').run(USER);
    expect(db.prepare('SELECT count(*) AS n FROM known_devices').get()).toEqual({ n: 0 });
  });
});

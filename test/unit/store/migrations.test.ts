import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import {
  type Migration,
  migrate,
  StoreTooNewError,
  schemaVersion,
} from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const LATEST = MIGRATIONS.length;

let dir: string;
let file: string;
const open: SqliteDb[] = [];

function track(db: SqliteDb): SqliteDb {
  open.push(db);
  return db;
}

function userTables(db: SqliteDb): { name: string; strict: number }[] {
  return (
    db
      .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'")
      .all() as {
      name: string;
      strict: number;
    }[]
  ).filter((table) => !table.name.startsWith('sqlite_'));
}

beforeEach(() => {
  dir = makeTempDir('orgdeck-migrations-');
  file = join(dir, 'orgdeck.db');
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  removeDir(dir);
});

describe('openDatabase', () => {
  it('brings an empty file to the newest schema, with STRICT tables, foreign keys on and WAL', () => {
    const db = track(openDatabase(file));
    expect(schemaVersion(db)).toBe(LATEST);
    const tables = userTables(db);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['orgs', 'users', 'sessions']));
    for (const table of tables) expect(table, `table ${table.name} is STRICT`).toMatchObject({ strict: 1 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('opens an up-to-date file again without re-running any migration', () => {
    track(openDatabase(file)).close();
    const db = track(openDatabase(file));
    expect(schemaVersion(db)).toBe(LATEST);
  });

  it('refuses a file written by a newer Orgdeck and leaves it as it was', () => {
    const newer = new Database(file);
    newer.pragma('journal_mode = WAL');
    newer.exec(
      "CREATE TABLE future_things (id TEXT PRIMARY KEY) STRICT; INSERT INTO future_things VALUES ('x');",
    );
    newer.pragma(`user_version = ${LATEST + 3}`);
    newer.close();
    const before = readFileSync(file);

    let error: unknown;
    try {
      openDatabase(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreTooNewError);
    expect((error as StoreTooNewError).message).toMatch(/Update Orgdeck/);
    expect(error).toMatchObject({ found: LATEST + 3, supported: LATEST });

    expect(readFileSync(file).equals(before)).toBe(true);
    const after = track(new Database(file, { readonly: true }));
    expect(schemaVersion(after)).toBe(LATEST + 3);
    expect(userTables(after).map((t) => t.name)).toEqual(['future_things']);
  });
});

describe('migrate', () => {
  it('numbers the migrations 1..N in order, each with a name', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    for (const migration of MIGRATIONS) expect(migration.name.trim()).not.toBe('');
  });

  it('refuses a list that is not numbered 1..N', () => {
    const db = track(new Database(file));
    const first = MIGRATIONS[0] as Migration;
    expect(() => migrate(db, [{ ...first, version: 2 }])).toThrow(/numbered 2, expected 1/);
    expect(schemaVersion(db)).toBe(0);
  });

  describe('when a migration fails', () => {
    const broken: Migration[] = [
      { version: 1, name: 'one table', sql: 'CREATE TABLE first_table (id INTEGER PRIMARY KEY) STRICT;' },
      {
        version: 2,
        name: 'half-written',
        sql: 'CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT; CREATE TABLE oops (;',
      },
    ];

    it('keeps the previous version and no table of the failed one', () => {
      const db = track(new Database(file));
      expect(migrate(db, broken, 1)).toBe(1);
      expect(() => migrate(db, broken)).toThrow();
      expect(schemaVersion(db)).toBe(1);
      expect(userTables(db).map((t) => t.name)).toEqual(['first_table']);
    });

    it('rolls back every pending migration of the run', () => {
      const db = track(new Database(file));
      expect(() => migrate(db, broken)).toThrow();
      expect(schemaVersion(db)).toBe(0);
      expect(userTables(db)).toEqual([]);
    });
  });

  /** Data as the first schema stores it, so every later migration runs over rows, not an empty file. */
  function seedVersionOne(db: SqliteDb): void {
    db.exec(`
      INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, created_at, updated_at)
      VALUES ('00000000-0000-4000-8000-000000000001', 'platform', 'Platform', 1, 'UTC', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
             ('00000000-0000-4000-8000-000000000002', 'acme', 'Acme', 0, 'Europe/Berlin', 40000000, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      INSERT INTO users (id, email, name, role, password_hash, bound_org_id, disabled, created_at, updated_at)
      VALUES ('00000000-0000-4000-8000-0000000000a1', 'owner@example.com', 'Owner', 'owner', 'scrypt$x', NULL, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
             ('00000000-0000-4000-8000-0000000000a2', 'user@example.com', 'User', 'user', 'scrypt$x', '00000000-0000-4000-8000-000000000002', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
      VALUES ('hash', '00000000-0000-4000-8000-0000000000a2', '2026-01-01T00:00:00.000Z', '2026-01-01T08:00:00.000Z');
    `);
  }

  describe.each(MIGRATIONS.map((m) => [m.version, m.name] as const))('migration %i (%s)', (version) => {
    it(`applies over version ${version - 1} with data and leaves a sound database`, () => {
      const db = track(openDatabase(file, { migrateTo: Math.min(1, version - 1) }));
      if (version > 1) {
        seedVersionOne(db);
        migrate(db, MIGRATIONS, version - 1);
      }
      expect(schemaVersion(db)).toBe(version - 1);

      expect(migrate(db, MIGRATIONS, version)).toBe(version);
      expect(schemaVersion(db)).toBe(version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      for (const table of userTables(db))
        expect(table, `table ${table.name} is STRICT`).toMatchObject({ strict: 1 });
      if (version > 1) {
        const orgs = db.prepare('SELECT slug FROM orgs ORDER BY slug').pluck().all();
        expect(orgs).toEqual(['acme', 'platform']);
      }
    });
  });
});

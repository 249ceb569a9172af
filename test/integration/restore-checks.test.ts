// Issue 14, finding 8: restore accepts only a store whose schema is exactly what Orgdeck's
// migrations make for its version, migrates it on a copy before it replaces anything, and doctor
// and restore work when the current store is broken.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import { BACKUPS_DIR } from '../../electron/backend/backups/backups-service';
import { openDatabase } from '../../electron/backend/store/database';
import { MIGRATIONS } from '../../electron/backend/store/migrations';
import { localOwnerSession, makeTempDir, OWNER, openTestBackend, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

let dataDir: string;
const cli = (...args: string[]) => runCliIn(dataDir, args);
const orgSlugs = async () =>
  (JSON.parse((await cli('org', 'list', '--json')).out) as { slug: string }[]).map((org) => org.slug).sort();

/** The attack's trigger: at alice's next sign-in she becomes an admin bound to no org. */
const EVIL_TRIGGER = `CREATE TRIGGER promote AFTER INSERT ON sessions BEGIN
  UPDATE users SET role = 'admin', bound_org_id = NULL WHERE id = NEW.user_id; END`;

function edit(file: string, sql: string, userVersion?: number): void {
  const db = new Database(file);
  db.exec(sql);
  if (userVersion !== undefined) db.pragma(`user_version = ${userVersion}`);
  db.close();
}

beforeEach(async () => {
  dataDir = makeTempDir('orgdeck-restore-');
  const init = await runCliIn(
    dataDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    OWNER.password,
  );
  expect(init.code, init.err).toBe(0);
  expect((await cli('org', 'create', '--name', 'Acme')).code).toBe(0);
});
afterEach(() => removeDir(dataDir));

describe('orgdeck restore', () => {
  it('refuses a real backup with an added trigger, and nothing is replaced', async () => {
    const backup = join(dataDir, 'backup.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    edit(backup, EVIL_TRIGGER);
    expect((await cli('org', 'create', '--name', 'After')).code).toBe(0);

    const result = await cli('restore', backup);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('schema objects: unexpected trigger promote on sessions');
    expect(result.err).toContain('The current store is unchanged');
    expect(await orgSlugs()).toContain('after');
  });

  it('restores a store copied with its write-ahead log as the check read it, the log included', async () => {
    const backup = join(dataDir, 'backup.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    // A store copied whole while open: its last transaction is still in its log.
    const open = new Database(backup);
    open.pragma('journal_mode = WAL');
    open.pragma('wal_autocheckpoint = 0');
    open.prepare("UPDATE orgs SET name = 'Acme Renamed' WHERE slug = 'acme'").run();
    const copied = join(dataDir, 'copied.db');
    copyFileSync(backup, copied);
    copyFileSync(`${backup}-wal`, `${copied}-wal`);
    open.close();

    const result = await cli('restore', copied);
    expect(result.code, result.err).toBe(0);
    const orgs = JSON.parse((await cli('org', 'list', '--json')).out) as { slug: string; name: string }[];
    expect(orgs.find((org) => org.slug === 'acme')?.name).toBe('Acme Renamed');
  });

  it('refuses a file holding only CREATE TABLE orgs(x) at user_version 0, replacing nothing', async () => {
    const crafted = join(dataDir, 'crafted.db');
    edit(crafted, 'CREATE TABLE orgs(x)', 0);
    const before = await orgSlugs();
    const result = await cli('restore', crafted);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(
      /schema: version 0: not an Orgdeck store; schema objects: unexpected table orgs/,
    );
    expect(await orgSlugs()).toEqual(before);
    expect(existsSync(`${join(dataDir, DATABASE_FILE)}.restoring.partial-${process.pid}`)).toBe(false);
  });

  it('refuses a backup whose migration fails, before it replaces anything', async () => {
    // A version-8 store exactly as version 8 defines it, with a usage row whose day is no day:
    // migration 9 cannot carry it over. Only migrating a copy finds that out.
    const old = join(dataDir, 'old.db');
    openDatabase(old, { migrateTo: 8 }).close();
    edit(
      old,
      "INSERT INTO usage_daily (model, day, agent_id, org_key, input_tokens, output_tokens, records) VALUES ('m', 'not-a-day', 'a', '', 1, 1, 1)",
    );
    const before = await orgSlugs();
    const result = await cli('restore', old);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/migration: cannot be brought up to date: NOT NULL constraint failed/);
    expect(result.err).toContain('The current store is unchanged');
    expect(await orgSlugs()).toEqual(before);
    expect(existsSync(`${join(dataDir, DATABASE_FILE)}.restoring.partial-${process.pid}`)).toBe(false);
  });

  it('leaves a store a newer Orgdeck wrote as it is: doctor says to open it there, restore refuses', async () => {
    const backup = join(dataDir, 'backup.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    const live = join(dataDir, DATABASE_FILE);
    edit(live, 'SELECT 1', MIGRATIONS.length + 1);

    const doctor = await cli('doctor');
    expect(doctor.out).toContain('written by a newer Orgdeck');
    expect(doctor.out).toContain('Open it with the newer Orgdeck that wrote it');
    expect(doctor.out).not.toContain('orgdeck restore FILE');
    const refused = await cli('restore', backup);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('written by a newer Orgdeck');
    expect(refused.err).toContain('The current store is unchanged');
    const db = new Database(live, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    db.close();
    expect(existsSync(`${live}.restoring.partial-${process.pid}`)).toBe(false);
  });

  it('repairs a broken current store from a good backup, and doctor reports the broken store instead of crashing', async () => {
    const backup = join(dataDir, 'good.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    // The store replaced behind Orgdeck's back by the crafted file.
    const live = join(dataDir, DATABASE_FILE);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
    edit(live, 'CREATE TABLE orgs(x)', 0);

    expect((await cli('org', 'list')).code).not.toBe(0);
    const doctor = await cli('doctor');
    expect(doctor.code).not.toBe(0);
    expect(doctor.out).toMatch(/FAIL {2}store: cannot be opened: /);
    expect(doctor.out).toMatch(/FAIL {2}schema objects: unexpected table orgs/);
    expect(doctor.out).toContain('orgdeck restore FILE');

    const restored = await cli('restore', backup);
    expect(restored.code, restored.err).toBe(0);
    // Restored all the same, saying what it could not keep.
    expect(restored.err).toMatch(
      /statements issued since the backup could not be read from the previous store/,
    );
    expect(await orgSlugs()).toContain('acme');
    expect((await cli('doctor')).code).toBe(0);
    // The broken store was kept aside, as every restore keeps the store it replaces.
    const aside = /kept at (\S+)\.$/.exec(restored.out)?.[1] ?? '';
    expect(existsSync(aside)).toBe(true);
  });

  it('doctor reports a trigger added to the live store', async () => {
    expect((await cli('doctor')).code).toBe(0);
    edit(join(dataDir, DATABASE_FILE), EVIL_TRIGGER);
    const doctor = await cli('doctor');
    expect(doctor.code).not.toBe(0);
    expect(doctor.out).toMatch(/FAIL {2}schema objects: unexpected trigger promote on sessions/);
  });
});

describe('backups.restore from the console', () => {
  it('refuses a backup with an added trigger, replacing nothing', async () => {
    const harness = openTestBackend({});
    try {
      const made = await harness.data('backups.create', {}, localOwnerSession());
      const dir = join(harness.dataDir, BACKUPS_DIR);
      mkdirSync(dir, { recursive: true });
      const evil = 'orgdeck-manual-2026-01-01T00-00-00-000Z.db';
      copyFileSync(join(dir, made.name), join(dir, evil));
      edit(join(dir, evil), EVIL_TRIGGER);
      const result = await harness.call('backups.restore', { file: evil }, localOwnerSession());
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'VALIDATION',
          message: expect.stringContaining('schema objects: unexpected trigger promote on sessions'),
        },
      });
      const triggers = harness.backend.store.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'promote'")
        .all();
      expect(triggers).toEqual([]);
      expect((await harness.data('backups.list', {}, localOwnerSession())).items).toHaveLength(2);
    } finally {
      harness.cleanup();
    }
  });
});

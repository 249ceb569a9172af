import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Backend, DATABASE_FILE, openBackend } from '../../electron/backend/backend';
import { CHECK_EVERY_MS } from '../../electron/backend/backups/auto-backups';
import { BACKUPS_DIR } from '../../electron/backend/backups/backups-service';
import { THIS_PROCESS } from '../../electron/backend/import-job-owner';
import { silentLogger } from '../../electron/backend/logger';
import { issueSetupCode } from '../../electron/backend/services/token-secrets';
import { openDatabase } from '../../electron/backend/store/database';
import { MIGRATIONS } from '../../electron/backend/store/migrations';
import type { ChannelOutput } from '../../shared/contract';
import {
  FakeClock,
  makeTempDir,
  newSession,
  OWNER,
  openTestBackend,
  removeDir,
  setUpOwner,
  sqliteOfBackend,
  type TestBackend,
} from '../fixtures/backend';
import {
  assign,
  createAgent,
  createOrg,
  csvOf,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { must, ownerSession } from '../fixtures/tenants';

const DAY_MS = 86_400_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const backupsIn = (dataDir: string) =>
  existsSync(join(dataDir, BACKUPS_DIR)) ? readdirSync(join(dataDir, BACKUPS_DIR)).sort() : [];
const auditActions = async (backend: Backend) =>
  (await must(backend, 'audit.list', { pageSize: 100 })).items.map(
    (entry) => `${entry.action} by ${entry.actor}`,
  );

describe('daily backups', () => {
  function openAuto(dataDir: string, clock: FakeClock): Backend {
    const backend = openBackend({ dataDir, clock, logger: silentLogger, autoBackups: true });
    return backend;
  }

  it('makes the day’s backup at start, once, and records it', async () => {
    const dataDir = makeTempDir();
    cleanups.push(() => removeDir(dataDir));
    const clock = new FakeClock('2026-01-15T09:00:00.000Z');
    let backend = openAuto(dataDir, clock);
    await vi.waitFor(() => expect(backupsIn(dataDir)).toEqual(['orgdeck-daily-2026-01-15.db']));
    const list = await must(backend, 'backups.list', {});
    expect(list.items).toMatchObject([{ name: 'orgdeck-daily-2026-01-15.db', kind: 'automatic' }]);
    expect(list.items[0]?.sizeBytes).toBeGreaterThan(4096);
    expect(await auditActions(backend)).toEqual(['backup.created by system']);
    backend.close();

    // Started again the same day: nothing new.
    clock.advance(3_600_000);
    backend = openAuto(dataDir, clock);
    cleanups.unshift(() => backend.close());
    await backend.services.backups.ensureDaily();
    expect(backupsIn(dataDir)).toEqual(['orgdeck-daily-2026-01-15.db']);
    expect(await auditActions(backend)).toEqual(['backup.created by system']);
  });

  it('backs up again after midnight while it keeps running, by the hourly check', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const dataDir = makeTempDir();
    const clock = new FakeClock('2026-01-15T23:30:00.000Z');
    const backend = openAuto(dataDir, clock);
    cleanups.push(
      () => backend.close(),
      () => removeDir(dataDir),
    );
    await vi.waitFor(() => expect(backupsIn(dataDir)).toEqual(['orgdeck-daily-2026-01-15.db']));

    clock.advance(CHECK_EVERY_MS);
    vi.advanceTimersByTime(CHECK_EVERY_MS);
    await vi.waitFor(() =>
      expect(backupsIn(dataDir)).toEqual(['orgdeck-daily-2026-01-15.db', 'orgdeck-daily-2026-01-16.db']),
    );
  });

  it('keeps 7 daily and 4 weekly backups, leaving manual ones alone', async () => {
    const dataDir = makeTempDir();
    cleanups.push(() => removeDir(dataDir));
    const clock = new FakeClock('2026-01-01T08:00:00.000Z');
    let backend = openAuto(dataDir, clock);
    const manual = await must(backend, 'backups.create', {});
    // Opened once a day for 60 days, up to Sunday 2026-03-01.
    for (let day = 0; day < 59; day++) {
      await backend.services.backups.ensureDaily();
      backend.close();
      clock.advance(DAY_MS);
      backend = openAuto(dataDir, clock);
    }
    await backend.services.backups.ensureDaily();
    cleanups.unshift(() => backend.close());
    expect(backupsIn(dataDir)).toEqual([
      'orgdeck-daily-2026-02-01.db',
      'orgdeck-daily-2026-02-08.db',
      'orgdeck-daily-2026-02-15.db',
      'orgdeck-daily-2026-02-22.db',
      'orgdeck-daily-2026-02-23.db',
      'orgdeck-daily-2026-02-24.db',
      'orgdeck-daily-2026-02-25.db',
      'orgdeck-daily-2026-02-26.db',
      'orgdeck-daily-2026-02-27.db',
      'orgdeck-daily-2026-02-28.db',
      'orgdeck-daily-2026-03-01.db',
      manual.name,
    ]);
  });

  it('stops quietly when closed in the middle of the day’s backup', async () => {
    const dataDir = makeTempDir();
    cleanups.push(() => removeDir(dataDir));
    openBackend({ dataDir, logger: silentLogger }).close();
    // Large enough that the copy takes many steps.
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.exec(`CREATE TABLE bulk (b BLOB) STRICT;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO bulk SELECT randomblob(4000) FROM n;`);
    db.close();
    const errors: string[] = [];
    const logger = { info: () => {}, error: (message: string) => void errors.push(message) };
    const backend = openBackend({ dataDir, logger, autoBackups: true });
    await vi.waitFor(() => expect(backupsIn(dataDir).some((name) => name.includes('.partial-'))).toBe(true), {
      interval: 1,
    });
    backend.close();
    await backend.services.backups.ensureDaily();
    expect(errors).toEqual([]);
    expect(backupsIn(dataDir).filter((name) => !name.includes('.partial-'))).toEqual([]);
  });

  it('removes what a killed backup left and never lists a half-written file', async () => {
    const dataDir = makeTempDir();
    cleanups.push(() => removeDir(dataDir));
    const clock = new FakeClock('2026-01-15T09:00:00.000Z');
    // A process id that is not running: a child that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const dir = join(dataDir, BACKUPS_DIR);
    openBackend({ dataDir, logger: silentLogger }).close();
    mkdirSync(dir);
    writeFileSync(join(dir, `orgdeck-daily-2026-01-15.db.partial-${deadPid}`), 'half');
    writeFileSync(join(dir, `orgdeck-manual-x.db.partial-${process.pid}`), 'still being written');

    const backend = openAuto(dataDir, clock);
    cleanups.unshift(() => backend.close());
    await vi.waitFor(() =>
      expect(backupsIn(dataDir)).toEqual([
        'orgdeck-daily-2026-01-15.db',
        `orgdeck-manual-x.db.partial-${process.pid}`,
      ]),
    );
    expect((await must(backend, 'backups.list', {})).items.map((item) => item.name)).toEqual([
      'orgdeck-daily-2026-01-15.db',
    ]);
  });
});

describe('orgdeck backup beside a running console', () => {
  it('finishes while another process writes to the store every moment, holding the store as it was at one moment', async () => {
    const dataDir = makeTempDir();
    cleanups.push(() => removeDir(dataDir));
    openBackend({ dataDir, logger: silentLogger }).close();
    // Large enough that the copy takes many steps, each a turn for the console's writes.
    const running = new Database(join(dataDir, DATABASE_FILE));
    cleanups.unshift(() => running.close());
    running.exec(`CREATE TABLE bulk (b BLOB) STRICT;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO bulk SELECT randomblob(4000) FROM n;`);
    const write = running.prepare('INSERT INTO bulk VALUES (randomblob(10))');
    let copying = true;
    let written = 0;
    // The console's writes while the copy runs, up to a bound: each one would start a copy on its
    // own connection over again.
    const writing = (async () => {
      while (copying && written < 20_000) {
        write.run();
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const out = join(dataDir, 'copy.db');
    const result = await runCliIn(dataDir, ['backup', '--out', out]);
    copying = false;
    await writing;
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining('integrity ok') });
    expect(written).toBeGreaterThan(10);
    expect(written).toBeLessThan(20_000);
    const copy = new Database(out, { readonly: true });
    cleanups.unshift(() => copy.close());
    // As it was at one moment: with the rows written before the copy began, not those written during it.
    const copied = copy.prepare('SELECT count(*) FROM bulk').pluck().get() as number;
    expect(copied).toBeGreaterThanOrEqual(5_000);
    expect(copied).toBeLessThan(5_000 + written);
  });
});

describe('backups from the console', () => {
  let harness: TestBackend;
  let owner: ReturnType<typeof newSession>;
  let clock: FakeClock;

  async function open() {
    clock = new FakeClock();
    harness = openTestBackend({ clock });
    cleanups.push(() => harness.cleanup());
    owner = await setUpOwner(harness);
    return harness;
  }

  async function signedIn(email: string, role: 'admin' | 'user') {
    await harness.data('users.create', { email, name: role, role, password: 'correct horse battery' }, owner);
    const session = newSession();
    await harness.data('session.signIn', { email, password: 'correct horse battery' }, session);
    return session;
  }

  const orgNames = async (session = ownerSession()) =>
    (await must(harness.backend, 'orgs.list', {}, session)).map((org) => org.name).sort();

  it('lets admins list and make backups, and only the owner restore one', async () => {
    await open();
    const admin = await signedIn('admin@example.com', 'admin');
    const user = await signedIn('user@example.com', 'user');
    const made = await harness.data('backups.create', {}, admin);
    expect(made).toMatchObject({ kind: 'manual', name: 'orgdeck-manual-2026-01-15T09-00-00-000Z.db' });
    expect((await harness.data('backups.list', {}, admin)).items).toEqual([made]);

    const refused = await harness.call('backups.restore', { file: made.name }, admin);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    for (const name of ['backups.list', 'backups.create', 'backups.restore'])
      expect(await harness.call(name, { file: made.name }, user)).toMatchObject({
        error: { code: 'FORBIDDEN' },
      });
    expect(await auditActions(harness.backend)).toContain('backup.created by admin <admin@example.com>');
  });

  it('restores a backup into the running store, signs everyone out, and keeps the current store to go back to', async () => {
    await open();
    await harness.data('orgs.create', { name: 'Before Backup' }, owner);
    const admin = await signedIn('admin@example.com', 'admin');
    const backup = await harness.data('backups.create', {}, owner);
    await harness.data('orgs.create', { name: 'After Backup' }, owner);
    await harness.data('settings.update', { sessionTimeoutHours: 12 }, owner);

    const restored = await harness.data('backups.restore', { file: backup.name }, owner);
    expect(restored.restored).toBe(backup.name);
    expect(owner.token).toBeNull();
    expect(await orgNames()).not.toContain('After Backup');
    expect(await orgNames()).toContain('Before Backup');
    // Sign-in settings are access: they stay as set today.
    expect((await harness.data('settings.get', {}, ownerSession())).sessionTimeoutHours).toBe(12);
    // Every session ended, not only the caller's.
    expect(await harness.call('orgs.list', {}, admin)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const entries = (await harness.data('audit.list', { pageSize: 5 }, ownerSession())).items;
    expect(entries[0]).toMatchObject({
      action: 'backup.restored',
      actor: 'Olivia Owner <owner@example.com>',
      summary: { after: { from: backup.name, previousStoreKeptAs: restored.previousStoreKeptAs } },
    });
    expect((await harness.data('audit.verify', {}, ownerSession())).intact).toBe(true);

    // The store kept aside is a backup like any other: restoring it undoes the restore.
    clock.advance(60_000);
    const list = (await harness.data('backups.list', {}, ownerSession())).items;
    expect(list.find((item) => item.name === restored.previousStoreKeptAs)?.kind).toBe('before-restore');
    await harness.data('backups.restore', { file: restored.previousStoreKeptAs }, ownerSession());
    expect(await orgNames()).toContain('After Backup');

    // And it all survives a restart.
    harness.reopen();
    expect(await orgNames()).toContain('After Backup');
    const db = new Database(join(harness.dataDir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keeps a write asked for while a restore runs: it waits for the restore, and lands in the restored store', async () => {
    await open();
    await harness.data('orgs.create', { name: 'Before Backup' }, owner);
    const backup = await harness.data('backups.create', {}, owner);
    const local = ownerSession();
    const restoring = harness.data('backups.restore', { file: backup.name }, owner);
    const creating = harness.data('orgs.create', { name: 'During Restore' }, local);
    const [restored, created] = await Promise.all([restoring, creating]);
    expect(restored.restored).toBe(backup.name);
    expect(created.name).toBe('During Restore');
    expect(await orgNames()).toContain('During Restore');
    // Not in the store kept aside either: it was made after the restore, in the restored store.
    const entries = (await harness.data('audit.list', { pageSize: 5 }, local)).items.map(
      (entry) => entry.action,
    );
    expect(entries.slice(0, 2)).toEqual(['org.created', 'backup.restored']);
  });

  it('restores data, not access: passwords, revocations, deletions and roles since the backup stay as they are today', async () => {
    await open();
    const password = 'correct horse battery';
    const acme = await harness.data('orgs.create', { name: 'Acme' }, owner);
    const user = async (email: string, role: 'admin' | 'user') =>
      harness.data('users.create', { email, name: email.split('@')[0], role, password }, owner);
    const [ada, gone, off, mover] = [
      await user('ada@example.com', 'admin'),
      await user('gone@example.com', 'user'),
      await user('off@example.com', 'user'),
      await user('mover@example.com', 'user'),
    ];
    await harness.data('members.put', { email: 'mover@example.com', orgId: acme.id, role: 'manager' }, owner);
    const adaSession = newSession();
    await harness.data('session.signIn', { email: ada.email, password }, adaSession);
    const token = await harness.data('tokens.create', { name: 'CI', password }, adaSession);
    const invite = await harness.data(
      'invites.create',
      { email: 'hire@example.com', memberships: [{ orgId: acme.id, role: 'member' }], expiresDays: 7 },
      owner,
    );
    const backup = await harness.data('backups.create', {}, owner);

    // Since the backup: a leaked password changed, a token revoked, an invite withdrawn, one user
    // deleted and one disabled, a manager made a viewer, and someone new.
    const newPassword = 'a different horse battery';
    await harness.data('users.resetPassword', { id: ada.id, password: newPassword }, owner);
    await harness.data('tokens.revoke', { id: token.token.id }, owner);
    await harness.data('invites.revoke', { id: invite.invite.id }, owner);
    await harness.data('users.delete', { id: gone.id }, owner);
    await harness.data('users.disable', { id: off.id }, owner);
    await harness.data('members.put', { email: 'mover@example.com', orgId: acme.id, role: 'viewer' }, owner);
    await user('late@example.com', 'user');
    await harness.data('settings.update', { apiTokenMaxDays: 30, requireTwoFactor: true }, owner);

    const restored = await harness.data('backups.restore', { file: backup.name }, ownerSession());
    const signIn = async (email: string, withPassword = password) => {
      const answer = await harness.call('session.signIn', { email, password: withPassword }, newSession());
      return answer.ok ? 'signed in' : answer.error.message;
    };
    expect(await signIn(ada.email)).not.toBe('signed in');
    expect(await signIn(ada.email, newPassword)).toBe('signed in');
    expect(await signIn(gone.email)).toBe('This account is disabled.');
    expect(await signIn(off.email)).toBe('This account is disabled.');
    expect(await harness.call('session.current', {}, { ...newSession(), token: token.secret })).toMatchObject(
      {
        ok: true,
        data: { user: null },
      },
    );
    expect(
      await harness.call('invites.accept', { code: invite.code, name: 'Hire', password }, newSession()),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await harness.data('settings.get', {}, ownerSession())).toMatchObject({
      apiTokenMaxDays: 30,
      requireTwoFactor: true,
    });
    const members = await harness.data('members.list', { orgId: acme.id }, ownerSession());
    expect(members.find((member) => member.email === mover.email)?.role).toBe('viewer');
    const entry = (
      await harness.data('audit.list', { action: 'backup', pageSize: 5 }, ownerSession())
    ).items.find((item) => item.action === 'backup.restored');
    expect(entry?.summary).toMatchObject({
      after: {
        accessKept: { usersAsToday: 2, deletedUsersDisabled: 1, apiTokensRevoked: 1, invitesEnded: 1 },
      },
    });

    // Undoing the restore brings back who came after the backup: the store kept aside is today's too.
    clock.advance(60_000);
    await harness.data('backups.restore', { file: restored.previousStoreKeptAs }, ownerSession());
    expect(await signIn('late@example.com')).toBe('signed in');
    expect(await signIn(ada.email, newPassword)).toBe('signed in');
  });

  it('refuses a backup whose owners have all stepped down since, changing nothing', async () => {
    await open();
    const backup = await harness.data('backups.create', {}, owner);
    const heir = await harness.data(
      'users.create',
      { email: 'heir@example.com', name: 'Heir', role: 'admin', password: 'correct horse battery' },
      owner,
    );
    await harness.data('ownership.transfer', { userId: heir.id }, owner);
    const heirSession = newSession();
    await harness.data(
      'session.signIn',
      { email: heir.email, password: 'correct horse battery' },
      heirSession,
    );

    // The backup's owner is an admin today, and the heir is not in it: no one could sign in as owner.
    const refused = await harness.call('backups.restore', { file: backup.name }, heirSession);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('no one could sign in as owner') },
    });
    expect((await harness.data('session.current', {}, heirSession)).user?.role).toBe('owner');
  });

  it('refuses a damaged backup, an unknown name and a path, and changes nothing', async () => {
    await open();
    await harness.data('orgs.create', { name: 'Stays' }, owner);
    const dir = join(harness.dataDir, BACKUPS_DIR);
    await harness.data('backups.create', {}, owner);
    const damaged = 'orgdeck-manual-2026-01-01T00-00-00-000Z.db';
    writeFileSync(join(dir, damaged), 'SQLite format 3\0 but not really');

    const results = [
      await harness.call('backups.restore', { file: damaged }, owner),
      await harness.call('backups.restore', { file: 'orgdeck-daily-2020-01-01.db' }, owner),
      await harness.call('backups.restore', { file: `../${DATABASE_FILE}` }, owner),
    ];
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'VALIDATION',
      'NOT_FOUND',
      'NOT_FOUND',
    ]);
    expect(results[0]).toMatchObject({
      error: { message: expect.stringContaining('The current store is unchanged') },
    });
    // Still signed in, the data as it was, nothing kept aside.
    expect(await orgNames(owner)).toContain('Stays');
    expect((await harness.data('backups.list', {}, ownerSession())).items.map((item) => item.kind)).toEqual([
      'manual',
      'manual',
    ]);
  });

  it('refuses a backup made before setup, so that a restore never reopens first-run setup to anyone', async () => {
    // A server started with a setup code, as `orgdeck serve` is: its first daily backup is of a
    // store nobody has set up yet.
    const setup = issueSetupCode();
    clock = new FakeClock();
    harness = openTestBackend({ clock, setupCodeHash: setup.hashHex });
    cleanups.push(() => harness.cleanup());
    const name = 'orgdeck-daily-2026-01-01.db';
    mkdirSync(join(harness.dataDir, BACKUPS_DIR), { recursive: true });
    openDatabase(join(harness.dataDir, BACKUPS_DIR, name)).close();
    owner = newSession();
    await harness.data('setup.init', { ...OWNER, setupCode: setup.code }, owner);
    await harness.data('orgs.create', { name: 'Stays' }, owner);

    const refused = await harness.call('backups.restore', { file: name }, owner);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('made before Orgdeck was set up') },
    });
    // Still signed in, the store as it was, and setup closed.
    expect(await orgNames(owner)).toContain('Stays');
    const stranger = await harness.call(
      'setup.init',
      { ...OWNER, ownerEmail: 'x@evil.example' },
      newSession(),
    );
    expect(stranger).toMatchObject({ ok: false });
    expect((await harness.data('session.current', {}, newSession())).needsSetup).toBe(false);

    // Were the store ever without an owner again, setup would still ask for the server's code.
    sqliteOfBackend(harness.backend).prepare("UPDATE users SET disabled = 1 WHERE role = 'owner'").run();
    expect(await harness.data('session.current', {}, newSession())).toMatchObject({
      needsSetup: true,
      setupCodeRequired: true,
    });
    expect(
      await harness.call('setup.init', { ...OWNER, ownerEmail: 'x@evil.example' }, newSession()),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('brings a backup from an older Orgdeck up to date as it restores it, whatever its page size', async () => {
    await open();
    const name = 'orgdeck-manual-2025-06-01T00-00-00-000Z.db';
    mkdirSync(join(harness.dataDir, BACKUPS_DIR), { recursive: true });
    // Older Orgdecks made stores of 4 KiB pages; SQLite's backup cannot copy those into this one as they are.
    const file = join(harness.dataDir, BACKUPS_DIR, name);
    const blank = new Database(file);
    blank.pragma('page_size = 4096');
    blank.pragma('journal_mode = WAL');
    blank.close();
    const old = openDatabase(file, { migrateTo: MIGRATIONS.length - 1 });
    expect(old.pragma('page_size', { simple: true })).toBe(4096);
    old
      .prepare(
        "INSERT INTO orgs (id, slug, name, created_at, updated_at) VALUES ('0a0a0a0a-0000-4000-8000-000000000001', 'old-org', 'Old Org', '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z')",
      )
      .run();
    old
      .prepare(
        "INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES ('0a0a0a0a-0000-4000-8000-000000000002', 'old-owner@example.com', 'Old Owner', 'owner', 'x', '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z')",
      )
      .run();
    old.close();

    await harness.data('backups.restore', { file: name }, owner);
    expect(sqliteOfBackend(harness.backend).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(backupsIn(harness.dataDir).filter((entry) => !entry.startsWith('orgdeck-'))).toEqual([]);
    expect(await orgNames()).toEqual(['Old Org']);
    expect((await harness.data('audit.list', {}, ownerSession())).items[0]?.action).toBe('backup.restored');
  });

  it('refuses while a usage import is running', async () => {
    await open();
    const backup = await harness.data('backups.create', {}, owner);
    harness.backend.store.jobs.insert({
      id: '11111111-1111-4111-8111-111111111111',
      kind: 'usage',
      file_name: 'big.csv',
      format: 'orgdeck',
      bytes_total: 100,
      actor_label: 'someone',
      ...THIS_PROCESS,
      started_at: '2026-01-15T09:00:00.000Z',
    });
    expect(await harness.call('backups.restore', { file: backup.name }, owner)).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringContaining('import is running') },
    });
  });
});

describe('a restore and the reports', () => {
  type Report = ChannelOutput<'billing.margins'>;

  it('keeps the statements issued since the backup, so no number a client holds is issued again', async () => {
    const world = openBillingWorld('2026-09-01T00:00:00Z');
    cleanups.push(() => world.cleanup());
    const org = await createOrg(world, 'Acme', '300.00', 'full_month');
    const agent = await createAgent(world, 'ann');
    await assign(world, agent.id, org.id, '2026-09-01T00:00:00Z');
    const close = async (month: string) =>
      (await world.call('statements.close', { month })).issued.map((statement) => statement.number);
    world.clock.set('2026-10-02T08:00:00Z');
    const [september] = await close('2026-09');
    const backup = await world.call('backups.create', {});
    world.clock.set('2026-11-02T08:00:00Z');
    const [october] = await close('2026-10');
    const credit = await world.call('statements.void', { number: september as string, reason: 'Wrong rate' });
    const pdf = async (number: string) =>
      (await world.call('statements.file', { number, format: 'pdf' })).base64;
    const octoberPdf = await pdf(october as string);

    const restored = await world.call('backups.restore', { file: backup.name });
    // The answer names what it kept, in the order they were issued.
    expect(restored.statementsKept).toEqual([october, credit.number]);
    const listed = await world.call('statements.list', {});
    expect(listed.map((s) => [s.number, s.kind, s.voided_by])).toEqual([
      [credit.number, 'credit_note', null],
      [october, 'statement', null],
      [september, 'statement', credit.number],
    ]);
    expect(await pdf(october as string)).toBe(octoberPdf);
    // Numbering goes on after the last one issued; September, voided, closes again under a new number.
    world.clock.set('2026-12-02T08:00:00Z');
    expect(await close('2026-11')).toEqual(['ST-2026-0004']);
    expect(await close('2026-09')).toEqual(['ST-2026-0005']);
    expect(await close('2026-10')).toEqual([]);
  });

  it('keeps them on an offline restore too, over a store versions behind this Orgdeck', async () => {
    const world = openBillingWorld('2026-09-01T00:00:00Z');
    cleanups.push(() => world.cleanup());
    const org = await createOrg(world, 'Acme', '300.00', 'full_month');
    const agent = await createAgent(world, 'ann');
    await assign(world, agent.id, org.id, '2026-09-01T00:00:00Z');
    world.clock.set('2026-10-02T08:00:00Z');
    await world.call('statements.close', { month: '2026-09' });
    const backup = await world.call('backups.create', {});
    world.clock.set('2026-11-02T08:00:00Z');
    await world.call('statements.close', { month: '2026-10' });
    world.backend.close();
    // As an Orgdeck five versions older left it (migration 28's table is one the carrying reads):
    // run offline before the app brings it up to date.
    const live = new Database(join(world.dataDir, DATABASE_FILE));
    live.exec(`ALTER TABLE import_jobs DROP COLUMN host; ALTER TABLE import_jobs DROP COLUMN run;
      ALTER TABLE import_jobs DROP COLUMN beat_at;
      ALTER TABLE usage_month_resums DROP COLUMN next_org; DROP TABLE months_closed_without_statement;
      DROP TABLE months_closed_at_source;
      PRAGMA user_version = ${MIGRATIONS.length - 5}`);
    live.close();

    const restored = await runCliIn(world.dataDir, [
      'restore',
      join(world.dataDir, BACKUPS_DIR, backup.name),
    ]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.err).toBe('');
    expect(restored.out).toContain('1 document issued since the backup is kept as issued: ST-2026-0002.');
    world.backend = openBackend({ dataDir: world.dataDir, clock: world.clock, logger: silentLogger });
    expect((await world.call('statements.list', {})).map((s) => s.number)).toEqual([
      'ST-2026-0002',
      'ST-2026-0001',
    ]);
  });

  it('drops what reports cached, even when the restored store has the revision they saw', async () => {
    const world = openBillingWorld('2026-04-10T00:00:00Z');
    cleanups.push(() => world.cleanup());
    const org = await createOrg(world, 'Billed', '30.00');
    const agent = await createAgent(world, 'ann');
    await assign(world, agent.id, org.id, '2026-03-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    const row = (i: number) => ({
      timestamp: `2026-03-0${i}T10:00:00Z`,
      agent: 'ann',
      model: 'gpt-test',
      input_tokens: 1_000_000,
      output_tokens: 0,
    });
    await world.importText('one.csv', csvOf([row(1)]));
    const before: Report = await margins(world, '2026-03');
    const backup = await world.call('backups.create', {});
    // One more import moves the billing revision by exactly one, as the restore would naively.
    await world.importText('two.csv', csvOf([row(2)]));
    const after: Report = await margins(world, '2026-03');
    expect(orgIn(after, org.id).cost).not.toBe(orgIn(before, org.id).cost);

    await world.call('backups.restore', { file: backup.name });
    expect(await margins(world, '2026-03')).toEqual(before);
  });
});

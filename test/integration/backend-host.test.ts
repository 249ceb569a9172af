import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openBackend } from '../../electron/backend/backend';
import { BACKUPS_DIR } from '../../electron/backend/backups/backups-service';
import {
  type BackendHost,
  type BackendHostOptions,
  openBackendHost,
} from '../../electron/backend/host/backend-host';
import { type Logger, silentLogger } from '../../electron/backend/logger';
import type { CallSession } from '../../electron/backend/router/handler';
import { THREAD_NICE } from '../../electron/backend/thread-priority';
import type { Envelope } from '../../shared/contract/envelope';
import {
  localOwnerSession,
  makeTempDir,
  newSession,
  OWNER,
  recordingLogger,
  removeDir,
} from '../fixtures/backend';
import { buildCli, startServeProcess } from '../fixtures/built-cli';
import {
  SLOW_MODEL,
  SPLIT_DAY,
  seedSlowBudgetCheck,
  seedSlowExport,
  seedSlowRepricing,
  seedSlowSplitMonth,
  splitSums,
} from '../fixtures/slow-store';

/** Monthly usage sums the re-pricing relabels: about a second of work on an idle machine. */
const ROWS = 300_000;
const FAST_CALL_LIMIT_MS = 100;
let cliDir: string;
let hostWorker: string;

beforeAll(() => {
  // The host's worker runs as users run it: bundled with the CLI by scripts/build-cli.mjs, the same
  // source electron-vite bundles next to the desktop's main process.
  cliDir = buildCli('host-cli');
  hostWorker = join(cliDir, 'backend-host-worker.mjs');
}, 120_000);

afterAll(() => rmSync(cliDir, { recursive: true, force: true }));

const repricing = (from: string) => ({ model: SLOW_MODEL, input: '2.40', output: '9.60', from });

/** The seeded org Acme, as the owner lists it. */
async function acmeOf(host: BackendHost, owner: CallSession): Promise<{ id: string; name: string }> {
  const list = await host.router.call('orgs.list', {}, owner);
  const acme = (list as { data: { id: string; name: string }[] }).data.find((org) => org.name === 'Acme');
  if (!acme) throw new Error('The seeded store has no org Acme.');
  return acme;
}

/** Per price the monthly sums are under: how many, and their input tokens. */
function monthlySumsByPrice(dataDir: string): unknown[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.effective_from AS price_from, count(*) AS rows, sum(u.input_tokens) AS input
         FROM usage_months u JOIN model_prices p ON p.id = u.price GROUP BY 1`,
      )
      .all();
  } finally {
    db.close();
  }
}

/**
 * Runs `slow` and, until it answers, a fast call 20 ms after each answer. Returns each fast call's
 * delay: from when it was due until it answered, so a thread held by the slow call (which cannot
 * even send the fast call on time) counts as much as a fast call queued behind it.
 */
async function fastCallsDuring(
  slow: () => Promise<Envelope<unknown>>,
  fast: () => Promise<Envelope<unknown>>,
): Promise<{ slow: Envelope<unknown>; slowMs: number; delaysMs: number[] }> {
  const started = performance.now();
  let slowEnd: number | undefined;
  const slowCall = slow().then((envelope) => {
    slowEnd = performance.now();
    return envelope;
  });
  const delaysMs: number[] = [];
  const dueBeforeSlowEnded = (due: number) => slowEnd === undefined || due < slowEnd;
  for (let due = started + 20; dueBeforeSlowEnded(due); due = performance.now() + 20) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    if (!dueBeforeSlowEnded(due)) break;
    expect(await fast()).toMatchObject({ ok: true });
    delaysMs.push(performance.now() - due);
  }
  const envelope = await slowCall;
  return { slow: envelope, slowMs: (slowEnd ?? started) - started, delaysMs };
}

/**
 * The fast calls ran beside the slow one and none queued behind it. On an idle machine every one
 * answers in a few ms. Our shared 2-vCPU machines (load often above 10) let the kernel hold any
 * runnable thread for 100–200 ms now and then, so the 100 ms bound is asserted for the
 * typical (median) call, and the slowest is held to half the slow call, which a call queued behind
 * it, or sent by a thread it holds, cannot meet.
 */
function expectAnsweredBeside(run: { slowMs: number; delaysMs: number[] }): void {
  const sorted = [...run.delaysMs].sort((a, b) => a - b);
  expect(sorted.length).toBeGreaterThanOrEqual(10);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(FAST_CALL_LIMIT_MS);
  expect(sorted.at(-1)).toBeLessThan(run.slowMs / 2);
}

/** What the host logs when its writer makes a backup's copy itself, no reader being open. */
const WRITER_COPIED = 'backup made on the writer: no reader is open';

const noSeed = async () => undefined;

/**
 * Runs `use` on a started host over a new store directory that `seed` fills first (handing `use`
 * what it returns), then closes the host and removes the directory.
 */
async function onHost<Seeded>(
  seed: (dataDir: string) => Promise<Seeded>,
  options: Omit<BackendHostOptions, 'dataDir' | 'hostWorker'> & { hostWorker?: string },
  use: (host: BackendHost, seeded: Seeded, dataDir: string) => Promise<void>,
): Promise<void> {
  const dataDir = makeTempDir('orgdeck-host-');
  let host: BackendHost | undefined;
  try {
    const seeded = await seed(dataDir);
    host = openBackendHost({ dataDir, hostWorker, ...options });
    await host.ready;
    await use(host, seeded, dataDir);
  } finally {
    await host?.close();
    removeDir(dataDir);
  }
}

/** The number of an edit `whileEditing` made, from the description it wrote ("edit 12"). */
const editNumber = (description: unknown) => Number(/^edit (\d+)$/.exec(String(description))?.[1]);

/** What a check of slow work on a host is given: the host's router, the owner, the org edited, the store's directory. */
interface HostRun {
  router: BackendHost['router'];
  owner: CallSession;
  orgId: string;
  dataDir: string;
}

/**
 * On a host over the store `seed` makes (returning the org to edit), runs `slow` while an edit of
 * that org is sent every 20 ms, expects the edits answered beside it, then hands its answer to `check`.
 */
async function whileEditing(
  seed: (dataDir: string) => Promise<string>,
  slow: (run: HostRun) => Promise<Envelope<unknown>>,
  check: (answer: Envelope<unknown>, run: HostRun) => Promise<void> | void,
  logger: Logger = silentLogger,
): Promise<void> {
  await onHost(
    (dataDir) => seed(dataDir),
    { logger },
    async (host, orgId, dataDir) => {
      const run: HostRun = { router: host.router, owner: localOwnerSession(), orgId, dataDir };
      let edits = 0;
      const edit = () =>
        run.router.call('orgs.update', { id: orgId, description: `edit ${++edits}` }, run.owner);
      // A write's first call compiles what it runs; the slow work is what is measured.
      expect(await edit()).toMatchObject({ ok: true });
      const timed = await fastCallsDuring(() => slow(run), edit);
      expectAnsweredBeside(timed);
      await check(timed.slow, run);
    },
  );
}

describe('the backend host', () => {
  it('answers orgs.list within 100 ms while a budget check reads a large month, as the desktop calls it', async () => {
    await onHost(
      // One long read, which in-process holds the caller's thread (the test below).
      (dataDir) => seedSlowBudgetCheck(dataDir, ROWS),
      { logger: silentLogger },
      async (host) => {
        const router = host.router;
        const owner = localOwnerSession();
        // A thread's first call compiles what it runs; the slow work below is what is measured.
        expect(await router.call('orgs.list', {}, owner)).toMatchObject({ ok: true });
        const run = await fastCallsDuring(
          () => router.call('alerts.check', {}, owner),
          () => router.call('orgs.list', {}, owner),
        );
        expect(run.slow).toMatchObject({ ok: true, data: { open: 1 } });
        expectAnsweredBeside(run);
      },
    );
  }, 120_000);

  it('answers at once after a restart that cut off a re-pricing, and finishes it beside the calls', async () => {
    const MONTHS_TO_MOVE = 'SELECT count(*) FROM usage_relabels';
    await onHost(
      async (dataDir) => {
        // Three times the rows: a few seconds of months to move, longer than the host takes to start.
        await seedSlowRepricing(dataDir, 3 * ROWS);
        // What prices.set writes first, and then the process stops: every month still to move.
        const crashed = openBackend({ dataDir, logger: silentLogger });
        crashed.store.writeTransaction(() => {
          crashed.store.prices.upsert(
            {
              model: SLOW_MODEL,
              effective_from: '2025-01-15',
              input_pico: 2_400_000,
              output_pico: 9_600_000,
              source: 'manual',
              created_at: '2026-01-01T00:00:00.000Z',
            },
            [],
          );
          crashed.store.usage.rebucketModel(SLOW_MODEL, '2025-01-15');
        });
        crashed.close();
        const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
        expect(db.prepare(MONTHS_TO_MOVE).pluck().get()).toBeGreaterThan(0);
        return db;
      },
      { logger: silentLogger },
      async (host, db, dataDir) => {
        const monthsToMove = db.prepare(MONTHS_TO_MOVE).pluck();
        const router = host.router;
        const owner = localOwnerSession();
        // Reads and writes are answered while the months still move (before, the host started only
        // once they had all moved).
        const acme = await acmeOf(host, owner);
        expect(
          await router.call('orgs.update', { id: acme.id, description: 'after the restart' }, owner),
        ).toMatchObject({ ok: true });
        expect(monthsToMove.get()).toBeGreaterThan(0);

        const until = Date.now() + 60_000;
        while ((monthsToMove.get() as number) > 0 && Date.now() < until)
          await new Promise((resolve) => setTimeout(resolve, 100));
        db.close();
        expect(monthlySumsByPrice(dataDir)).toEqual([
          { price_from: '2025-01-15', rows: 3 * ROWS, input: 3 * ROWS * 1000 },
        ]);
        const after = await router.call('orgs.get', { id: acme.id }, owner);
        expect(after).toMatchObject({ ok: true, data: { description: 'after the restart' } });
      },
    );
  }, 120_000);

  it('answers a write within 100 ms while a re-pricing holds the one writer, and both are kept', async () => {
    await onHost(
      (dataDir) => seedSlowRepricing(dataDir, ROWS),
      { logger: silentLogger },
      async (host, _seeded, dataDir) => {
        const router = host.router;
        const owner = localOwnerSession();
        const acme = await acmeOf(host, owner);
        let edits = 0;
        const edit = () => router.call('orgs.update', { id: acme.id, description: `edit ${++edits}` }, owner);
        // A write's first call compiles what it runs; the slow work below is what is measured.
        expect(await edit()).toMatchObject({ ok: true });
        const run = await fastCallsDuring(
          () => router.call('prices.set', repricing('2025-01-15'), owner),
          edit,
        );
        expect(run.slow).toMatchObject({ ok: true });
        expectAnsweredBeside(run);
        const after = await router.call('orgs.get', { id: acme.id }, owner);
        expect(after).toMatchObject({ ok: true, data: { description: `edit ${edits}` } });
        // Every monthly sum is under the new price, none lost to the writes between its months.
        expect(monthlySumsByPrice(dataDir)).toEqual([
          { price_from: '2025-01-15', rows: ROWS, input: ROWS * 1000 },
        ]);
      },
    );
  }, 120_000);

  it('answers a write within 100 ms while a re-pricing from mid-month sums the month again, and splits it exactly', async () => {
    // Twice the rows: the month's re-sum, a few thousand rows a write, takes long enough to time.
    await whileEditing(
      (dataDir) => seedSlowSplitMonth(dataDir, 2 * ROWS),
      ({ router, owner }) => router.call('prices.set', repricing(SPLIT_DAY), owner),
      (answer, { dataDir }) => {
        expect(answer).toMatchObject({ ok: true });
        // March's sums: the days before the 15th under the first price, the rest under the new one,
        // token for token as the daily rows have them.
        const { months, orgMonths, days } = splitSums(join(dataDir, DATABASE_FILE));
        expect(days).toHaveLength(2);
        expect(months).toEqual(days);
        expect(orgMonths).toEqual(days);
      },
    );
  }, 120_000);

  it('answers a write within 100 ms while a budget check reads a large month, and raises its alert', async () => {
    // The check sums the month's usage on a reader; only its alerts are written on the writer.
    await whileEditing(
      (dataDir) => seedSlowBudgetCheck(dataDir, ROWS),
      ({ router, owner }) => router.call('alerts.check', {}, owner),
      async (answer, { router, owner, orgId }) => {
        expect(answer).toMatchObject({ ok: true, data: { open: 1 } });
        const alerts = await router.call('alerts.list', { status: 'open' }, owner);
        expect(alerts).toMatchObject({
          ok: true,
          data: [{ org: { id: orgId }, threshold: 100, kind: 'actual' }],
        });
      },
    );
  }, 120_000);

  it('answers a write within 100 ms while an org is exported from a large store, and the archive holds its usage', async () => {
    // The export walks every usage row on a reader; only its entry in the trail is written on the writer.
    await whileEditing(
      (dataDir) => seedSlowExport(dataDir, 1_500_000),
      ({ router, owner, orgId }) => router.call('orgs.export', { id: orgId }, owner),
      async (answer, { router, owner, orgId }) => {
        expect(answer).toMatchObject({ ok: true });
        const archive = JSON.parse((answer as { data: { content: string } }).data.content) as {
          usageDaily: unknown[];
        };
        expect(archive.usageDaily).toHaveLength(100);
        const trail = await router.call('audit.list', { org: orgId, action: 'export.created' }, owner);
        expect(trail).toMatchObject({ ok: true, data: { items: [{ action: 'export.created' }] } });
      },
    );
  }, 120_000);

  it('answers a write within 100 ms while a backup is made, and the backup holds the store as it was when it began', async () => {
    // A reader copies the store on a snapshot of its own; the writer only records the backup.
    const logger = recordingLogger();
    await whileEditing(
      (dataDir) => seedSlowExport(dataDir, 1_500_000),
      ({ router, owner }) => router.call('backups.create', {}, owner),
      async (answer, { router, owner, orgId, dataDir }) => {
        expect(answer).toMatchObject({ ok: true });
        const { name } = (answer as { data: { name: string } }).data;
        const copy = new Database(join(dataDir, BACKUPS_DIR, name), { readonly: true });
        try {
          expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
          const copied = editNumber(
            copy.prepare('SELECT description FROM orgs WHERE id = ?').pluck().get(orgId),
          );
          const now = await router.call('orgs.get', { id: orgId }, owner);
          const last = editNumber((now as { data: { description: string } }).data.description);
          // An edit from when the copy began, not from when it ended: the thread that copies may
          // start a moment after the call, so not necessarily the first edit.
          expect(copied).toBeLessThan(last / 2);
        } finally {
          copy.close();
        }
        expect(logger.said).not.toContain(WRITER_COPIED);
      },
      logger,
    );
  }, 120_000);

  it('closing during a backup stops its copy, makes no second one on the writer and leaves no file', async () => {
    const dataDir = makeTempDir('orgdeck-host-');
    try {
      await seedSlowExport(dataDir, 1_500_000);
      const logger = recordingLogger();
      const host = openBackendHost({ dataDir, hostWorker, logger });
      await host.ready;
      const backup = host.router.call('backups.create', {}, localOwnerSession());
      // Closed while the reader copies (the copy takes a second or more here).
      await new Promise((resolve) => setTimeout(resolve, 200));
      await host.close();
      expect(await backup).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(logger.said).not.toContain(WRITER_COPIED);
      expect(readdirSync(join(dataDir, BACKUPS_DIR))).toEqual([]);
    } finally {
      removeDir(dataDir);
    }
  }, 120_000);

  it('with no reader open, the writer copies the backup itself', async () => {
    const logger = recordingLogger();
    await onHost(
      (dataDir) => seedSlowExport(dataDir, 1_000),
      { logger, readers: 0, reportReaders: 0 },
      async (host, _seeded, dataDir) => {
        const made = await host.router.call('backups.create', {}, localOwnerSession());
        expect(made).toMatchObject({ ok: true, data: { kind: 'manual' } });
        const { name } = (made as { data: { name: string } }).data;
        const copy = new Database(join(dataDir, BACKUPS_DIR, name), { readonly: true });
        expect(copy.prepare('SELECT count(*) FROM usage_days').pluck().get()).toBe(1_000);
        copy.close();
        expect(logger.said).toContain(WRITER_COPIED);
      },
    );
  }, 120_000);

  it('with no reader open, the writer reads the budgets itself and still raises the alert', async () => {
    const logger = recordingLogger();
    await onHost(
      (dataDir) => seedSlowBudgetCheck(dataDir, 1_000),
      { logger, readers: 0, reportReaders: 0 },
      async (host, acme) => {
        const owner = localOwnerSession();
        expect(await host.router.call('alerts.check', {}, owner)).toMatchObject({
          ok: true,
          data: { open: 1 },
        });
        const alerts = await host.router.call('alerts.list', { status: 'open' }, owner);
        expect(alerts).toMatchObject({
          ok: true,
          data: [{ org: { id: acme }, threshold: 100, kind: 'actual' }],
        });
        expect(logger.errors.map((line) => line.message)).toContain(
          'budgets read on the writer: no reader answered',
        );
      },
    );
  }, 120_000);

  it('in-process, orgs.list waits for a budget check’s read (what the host is for)', async () => {
    const dataDir = makeTempDir('orgdeck-host-');
    // The check sums a large month in one read, which the caller's thread runs itself. (A
    // re-pricing no longer serves: its rewrites go some orgs per write, the thread free between.)
    await seedSlowBudgetCheck(dataDir, ROWS);
    const backend = openBackend({ dataDir, logger: silentLogger });
    try {
      const owner = localOwnerSession();
      const run = await fastCallsDuring(
        () => backend.router.call('alerts.check', {}, owner),
        () => backend.router.call('orgs.list', {}, owner),
      );
      expect(run.slow).toMatchObject({ ok: true, data: { open: 1 } });
      // The check holds the thread from start to end: the first fast call waits nearly all of it.
      expect(Math.max(...run.delaysMs)).toBeGreaterThan(Math.max(FAST_CALL_LIMIT_MS, run.slowMs / 2));
    } finally {
      backend.close();
      removeDir(dataDir);
    }
  }, 120_000);

  it('carries sign-in and sign-out back to the transport, and reads see the session', async () => {
    await onHost(noSeed, { logger: silentLogger }, async (host) => {
      const session = newSession();
      const identified: string[] = [];
      session.identified = (userId) => void identified.push(userId);
      expect(await host.router.call('setup.init', { ...OWNER }, session)).toMatchObject({ ok: true });
      expect(session.token).toEqual(expect.any(String));
      const current = await host.router.call('session.current', {}, session);
      expect(current).toMatchObject({ ok: true, data: { user: { email: OWNER.ownerEmail } } });
      expect(identified).toHaveLength(1);
      expect(await host.router.call('session.signOut', {}, session)).toMatchObject({ ok: true });
      expect(session.token).toBeNull();
      expect(await host.router.call('orgs.list', {}, session)).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
      // A sign-in makes the client a known device: its secret comes back for the transport to keep.
      const deviceSecrets: string[] = [];
      session.setDeviceSecret = (secret) => void deviceSecrets.push(secret);
      const signIn = { email: OWNER.ownerEmail, password: OWNER.password };
      expect(await host.router.call('session.signIn', signIn, session)).toMatchObject({ ok: true });
      expect(deviceSecrets).toEqual([expect.any(String)]);
    });
  }, 60_000);

  it("answers a membership user's reads from the store as it is now: a role given or taken applies at once", async () => {
    await onHost(noSeed, { logger: silentLogger }, async (host) => {
      const must = async (name: string, input: unknown, session: CallSession) => {
        const envelope = await host.router.call(name, input, session);
        expect(envelope, name).toMatchObject({ ok: true });
        return (envelope as { data: unknown }).data;
      };
      const owner = newSession();
      await must('setup.init', { ...OWNER }, owner);
      const acme = (await must('orgs.create', { name: 'Acme' }, owner)) as { id: string };
      const globex = (await must('orgs.create', { name: 'Globex' }, owner)) as { id: string };
      const email = 'staff@msp.test';
      await must('users.create', { email, name: 'Staff', role: 'user', password: OWNER.password }, owner);
      await must('members.put', { email, orgId: acme.id, role: 'member' }, owner);
      const staff = newSession();
      await must('session.signIn', { email, password: OWNER.password }, staff);
      // orgs.list and orgs.get are read channels: the host's readers answer them.
      const names = async () =>
        ((await must('orgs.list', {}, staff)) as { name: string }[]).map((org) => org.name).sort();
      expect(await names()).toEqual(['Acme']);
      await must('members.put', { email, orgId: globex.id, role: 'viewer' }, owner);
      expect(await names()).toEqual(['Acme', 'Globex']);
      await must('members.remove', { email, orgId: acme.id }, owner);
      expect(await names()).toEqual(['Globex']);
      expect(await host.router.call('orgs.get', { id: acme.id }, staff)).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    });
  }, 60_000);

  it('notes an API token used for a read, though readers cannot write', async () => {
    await onHost(noSeed, { logger: silentLogger }, async (host) => {
      const session = newSession();
      await host.router.call('setup.init', { ...OWNER }, session);
      const created = await host.router.call(
        'tokens.create',
        { name: 'ci', password: OWNER.password },
        session,
      );
      expect(created).toMatchObject({ ok: true });
      const secret = (created as { data: { secret: string } }).data.secret;
      const bearer = { token: secret, setToken: () => {} };
      expect(await host.router.call('orgs.list', {}, bearer)).toMatchObject({ ok: true });
      // The writer notes the use a moment later, as its own message.
      let lastUsed: unknown = null;
      for (let i = 0; i < 100 && !lastUsed; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const list = await host.router.call('tokens.list', {}, session);
        lastUsed = (list as { data: { tokens: { lastUsedAt: string | null }[] } }).data.tokens[0]?.lastUsedAt;
      }
      expect(lastUsed).toEqual(expect.any(String));
    });
  }, 60_000);

  it('says why when the store cannot be opened, and answers every call with that reason', async () => {
    const dataDir = makeTempDir('orgdeck-host-');
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.pragma('user_version = 999');
    db.close();
    const host = openBackendHost({ dataDir, hostWorker, logger: silentLogger });
    try {
      await expect(host.ready).rejects.toThrow(/written by a newer Orgdeck/);
      for (const channel of ['orgs.list', 'orgs.create']) {
        expect(await host.router.call(channel, {}, localOwnerSession())).toMatchObject({
          ok: false,
          error: { code: 'UNAVAILABLE', message: expect.stringMatching(/written by a newer Orgdeck/) },
        });
      }
    } finally {
      await host.close();
      removeDir(dataDir);
    }
  }, 60_000);
});

/** A stand-in for the host's worker that answers every call with its thread's id (see the file). */
const standIn = fileURLToPath(new URL('../fixtures/crashing-host-worker.mjs', import.meta.url));

/** This process's threads' nice values (Linux, where each thread has its own). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((task) => {
    const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    // After the command name in parentheses: state is field 3, nice field 19.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

/**
 * The nice values once the threads of hosts closed before have gone: a worker's thread leaves
 * /proc a moment after the host saw it exit, and counted in the "before" it would hide a new one.
 */
async function settledThreadNiceValues(): Promise<number[]> {
  let last = threadNiceValues();
  for (let look = 0; look < 50; look++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = threadNiceValues();
    if (now.length === last.length) return now;
    last = now;
  }
  return last;
}

describe('reports beside quick reads', () => {
  it('answers a quick read before the reports already running, however many there are', async () => {
    await onHost(noSeed, { hostWorker: standIn, logger: silentLogger }, async (host) => {
      const session = localOwnerSession();
      const answered: string[] = [];
      const call = (name: string, input: unknown) =>
        host.router.call(name, input, session).then((envelope) => {
          answered.push(name);
          return envelope;
        });
      // Two reports, each holding its thread a second as a cold report's query does.
      const reports = [call('billing.margins', { busyMs: 1000 }), call('billing.trend', { busyMs: 1000 })];
      expect(await call('orgs.list', {})).toMatchObject({ ok: true });
      expect(await Promise.all(reports)).toMatchObject([{ ok: true }, { ok: true }]);
      expect(answered).toEqual(['orgs.list', 'billing.margins', 'billing.trend']);
    });
  }, 60_000);

  it.runIf(process.platform === 'linux')(
    'runs its threads below the caller’s, and the reports’ reader below the others',
    async () => {
      const before = await settledThreadNiceValues();
      await onHost(noSeed, { logger: silentLogger }, async () => {
        const count = (nice: number) => threadNiceValues().filter((value) => value === nice).length;
        const countBefore = (nice: number) => before.filter((value) => value === nice).length;
        // The writer, the checkpointer and two quick readers; one reader of reports.
        expect(count(THREAD_NICE.calls) - countBefore(THREAD_NICE.calls)).toBeGreaterThanOrEqual(4);
        expect(count(THREAD_NICE.slowWork) - countBefore(THREAD_NICE.slowWork)).toBeGreaterThanOrEqual(1);
        // The caller's thread (the window's, or the HTTP loop's) keeps its own.
        expect(threadNiceValues()[0]).toBe(before[0]);
      });
    },
    60_000,
  );
});

describe('a backend host thread that dies', () => {
  it('answers the calls it had with INTERNAL and is restarted; after repeated deaths it says so', async () => {
    const logger = recordingLogger();
    await onHost(noSeed, { hostWorker: standIn, logger }, async (host) => {
      const session = localOwnerSession();
      const before = await host.router.call('orgs.create', {}, session);
      expect(before).toMatchObject({ ok: true });
      for (const crash of ['test.exit', 'test.throw', 'test.exit']) {
        expect(await host.router.call(crash, {}, session)).toMatchObject({
          ok: false,
          error: { code: 'INTERNAL', message: expect.stringMatching(/restarted/) },
        });
        // A new thread answers the next call.
        const after = await host.router.call('orgs.create', {}, session);
        expect(after).toMatchObject({ ok: true });
        expect(after).not.toEqual(before);
      }
      expect(await host.router.call('test.exit', {}, session)).toMatchObject({
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: expect.stringMatching(/stopped 4 times in a minute; restart Orgdeck/),
        },
      });
      expect(await host.router.call('orgs.create', {}, session)).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE' },
      });
      expect(logger.errors.map((entry) => entry.message)).toContain('backend host thread failed');
      expect(logger.errors.at(-1)?.message).toBe('backend host thread not restarted');
    });
  }, 60_000);
});

describe('orgdeck serve', () => {
  const startServe = (dataDir: string) => startServeProcess(cliDir, ['--data-dir', dataDir]);

  it('does not start on a store from a newer Orgdeck, and says why', async () => {
    const dataDir = makeTempDir('orgdeck-host-serve-');
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.pragma('user_version = 999');
    db.close();
    try {
      await expect(startServe(dataDir)).rejects.toThrow(
        /serve exited \(1\):[\s\S]*error: .*newer Orgdeck.*Update Orgdeck/,
      );
    } finally {
      removeDir(dataDir);
    }
  }, 60_000);

  // Linux only: the server's CPU time is read from /proc.
  it.runIf(process.platform === 'linux')(
    'keeps answering, and rests, once whatever read its log has gone away',
    async () => {
      const dataDir = makeTempDir('orgdeck-host-serve-');
      const { child, url } = await startServe(dataDir);
      const cpuSeconds = () => {
        // utime and stime, in clock ticks (100 a second on Linux), after the command's closing parenthesis.
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return (Number(fields[11]) + Number(fields[12])) / 100;
      };
      const ask = async () =>
        (
          await fetch(`${url}/api/session.current`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{}',
          })
        ).status;
      try {
        // The terminal or supervisor that read the server's log is gone: each log line now fails.
        child.stderr?.destroy();
        for (let i = 0; i < 5; i++) expect(await ask()).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const before = cpuSeconds();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        // Idle, the server uses next to no CPU; a failed log line logged again spun a core (2 s of 2 s).
        expect(cpuSeconds() - before).toBeLessThan(0.4);
        expect(await ask()).toBe(200);
      } finally {
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        // A spinning server never got to its shutdown: stopped, so no test leaves one running.
        const stopping = setTimeout(() => child.kill('SIGKILL'), 15_000);
        expect(await exited).toBe(0);
        clearTimeout(stopping);
        removeDir(dataDir);
      }
    },
    60_000,
  );

  it('answers orgs.list over HTTP within 100 ms while a re-pricing runs, and closes on SIGTERM', async () => {
    const dataDir = makeTempDir('orgdeck-host-serve-');
    await seedSlowRepricing(dataDir, ROWS);
    const { child, url, stderr } = await startServe(dataDir);
    try {
      const post = async (channel: string, body: unknown, cookie = '') => {
        const response = await fetch(`${url}/api/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Cookie: cookie },
          body: JSON.stringify(body),
        });
        return {
          cookie: response.headers.get('set-cookie'),
          envelope: (await response.json()) as Envelope<unknown>,
        };
      };
      const signIn = await post('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
      expect(signIn.envelope, stderr()).toMatchObject({ ok: true });
      const cookie = (signIn.cookie ?? '').split(';')[0] ?? '';
      // The readers are up once they have answered a read.
      expect((await post('orgs.list', {}, cookie)).envelope).toMatchObject({
        ok: true,
        data: expect.any(Array),
      });
      // An error the host answers as JSON text keeps its HTTP status.
      const missing = await fetch(`${url}/api/orgs.get`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify({ id: '00000000-0000-4000-8000-000000000000' }),
      });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      const run = await fastCallsDuring(
        async () => (await post('prices.set', repricing('2025-01-15'), cookie)).envelope,
        async () => (await post('orgs.list', {}, cookie)).envelope,
      );
      expect(run.slow).toMatchObject({ ok: true });
      expectAnsweredBeside(run);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // The server quit cleanly with the re-pricing in its store.
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM model_prices').get()).toEqual({ n: 2 });
    db.close();
    removeDir(dataDir);
  }, 120_000);
});

import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEAT_EVERY_MS, SILENT_FOR_MS } from '../../electron/backend/import-job-owner';
import { silentLogger } from '../../electron/backend/logger';
import { LOCAL_OWNER } from '../../electron/backend/services/principal';
import { createUploadsService } from '../../electron/backend/services/uploads-service';
import { createUsageRewrites } from '../../electron/backend/services/usage-rewrites';
import { createUsageService } from '../../electron/backend/services/usage-service';
import type { ImportProgress } from '../../electron/backend/usage/import-usage';
import { asEveryOrg } from '../fixtures/backend';
import { type BillingWorld, openBillingWorld } from '../fixtures/billing';
import { ownerSession } from '../fixtures/tenants';

const CLOCK = '2026-04-10T08:00:00.000Z';
const JOB = '33333333-3333-4333-8333-333333333333';
/** Another machine, as servers sharing a PostgreSQL database are. */
const ELSEWHERE = 'another machine';

/** A pid that existed a moment ago and is gone here: on another machine it may well run. */
const pidGoneHere = () => spawnSync(process.execPath, ['-e', '']).pid;

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('import jobs run by servers on other machines', () => {
  let world: BillingWorld;

  beforeEach(() => {
    world = openBillingWorld(CLOCK);
  });

  afterEach(() => {
    vi.useRealTimers();
    world.cleanup();
  });

  /** What a server asks before closing a month or restoring a backup: whether an import runs anywhere. */
  const closeRefused = async () => {
    const answer = await world.backend.router.call('statements.close', { month: '2026-03' }, ownerSession());
    return (
      !answer.ok && answer.error.code === 'CONFLICT' && /usage import is running/.test(answer.error.message)
    );
  };

  it('leaves a job another machine runs running while that machine beats, and interrupts it once it falls silent', async () => {
    await asEveryOrg(world.backend, (db) =>
      db
        .prepare(
          `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, bytes_done, imported, actor_label, host, pid, started_at, beat_at)
         VALUES (?, 'usage', 'march.csv', 'running', 1000, 400, 12, 'someone', ?, ?, ?, ?)`,
        )
        .run(JOB, ELSEWHERE, pidGoneHere(), CLOCK, later(CLOCK, 5 * 60_000)),
    );

    // Six minutes in, its last beat a minute old: a server starting here leaves it running.
    world.clock.set(later(CLOCK, 6 * 60_000));
    world.reopen();
    expect((await world.call('jobs.get', { id: JOB })).status).toBe('running');
    expect(await closeRefused()).toBe(true);

    // Unheard for longer than SILENT_FOR_MS: its server stopped mid-import.
    const silentSince = later(CLOCK, 5 * 60_000 + SILENT_FOR_MS + 1000);
    world.clock.set(silentSince);
    expect(await closeRefused()).toBe(false);
    expect(await world.call('jobs.get', { id: JOB })).toMatchObject({
      status: 'interrupted',
      bytesDone: 400,
      imported: 12,
      finishedAt: silentSince,
    });
  });

  it('beats for the jobs a server runs, so servers on other machines leave them running until it stops', async () => {
    const { store, everyOrg, services } = world.backend;
    let finish: (progress: ImportProgress) => void = () => {};
    const elsewhere = createUsageService({
      store,
      clock: world.clock,
      audit: services.audit,
      everyOrg,
      uploads: createUploadsService(store, world.dataDir),
      runner: () => new Promise((resolve) => (finish = resolve)),
      rewrites: createUsageRewrites(store, world.clock, services.audit),
      logger: silentLogger,
      self: { host: ELSEWHERE, pid: pidGoneHere() },
    });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const started = await elsewhere.importFile(
      LOCAL_OWNER,
      world.writeFile('march.csv', 'timestamp,agent,model,input_tokens,output_tokens\n'),
    );

    const beatAt = () =>
      asEveryOrg(world.backend, (db) =>
        db
          .prepare<[string], string>('SELECT beat_at FROM import_jobs WHERE id = ?')
          .pluck()
          .get(started.job.id),
      );
    /** What a server here asks before closing a month or restoring a backup. */
    const importsRunning = () => asEveryOrg(world.backend, () => services.usage.importsRunning());
    // Ten minutes of import: the other machine beats all along.
    for (let beat = 1; beat <= (10 * 60_000) / BEAT_EVERY_MS; beat++) {
      const now = later(CLOCK, beat * BEAT_EVERY_MS);
      world.clock.set(now);
      vi.advanceTimersByTime(BEAT_EVERY_MS);
      await vi.waitFor(async () => expect(await beatAt()).toBe(now));
    }
    expect(await importsRunning()).toBe(true);
    expect(await closeRefused()).toBe(true);

    // Its server stops beating (it closed, or its machine went down).
    elsewhere.close();
    world.clock.set(later(CLOCK, 10 * 60_000 + SILENT_FOR_MS + 1000));
    expect(await importsRunning()).toBe(false);
    expect((await world.call('jobs.get', { id: started.job.id })).status).toBe('interrupted');

    finish({ bytesTotal: 0, bytesDone: 0, rowsRead: 0, imported: 0, skipped: 0, bad: 0 });
    await started.finished;
  });
});

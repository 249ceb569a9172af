import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEAT_EVERY_MS, SILENT_FOR_MS, THIS_PROCESS } from '../../electron/backend/import-job-owner';
import { silentLogger } from '../../electron/backend/logger';
import { LOCAL_OWNER } from '../../electron/backend/services/principal';
import { createUploadsService } from '../../electron/backend/services/uploads-service';
import { createUsageRewrites } from '../../electron/backend/services/usage-rewrites';
import { createUsageService } from '../../electron/backend/services/usage-service';
import { createJobsRepo, JOB_NO_LONGER_RUNNING } from '../../electron/backend/store/repos/jobs-repo';
import type { ImportProgress } from '../../electron/backend/usage/import-usage';
import { readUsageBatches } from '../../electron/backend/usage/usage-reader';
import type { UsageFormat } from '../../shared/domain/usage-identity';
import { asEveryOrg } from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  importDirectly,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
} from '../fixtures/billing';
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

  afterEach(() => world.cleanup());

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
    let fail: (error: Error) => void = () => {};
    const elsewhere = createUsageService({
      store,
      clock: world.clock,
      audit: services.audit,
      everyOrg,
      uploads: createUploadsService(store, world.dataDir),
      runner: () => new Promise<ImportProgress>((_, reject) => (fail = reject)),
      rewrites: createUsageRewrites(store, world.clock, services.audit),
      logger: silentLogger,
      self: { host: ELSEWHERE, pid: pidGoneHere(), run: 'a run elsewhere' },
      beatEveryMs: 20,
    });
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
      await vi.waitFor(async () => expect(await beatAt()).toBe(now));
    }
    expect(await importsRunning()).toBe(true);
    expect(await closeRefused()).toBe(true);

    // Its server stops beating (it closed, or its machine went down).
    elsewhere.close();
    world.clock.set(later(CLOCK, 10 * 60_000 + SILENT_FOR_MS + 1000));
    expect(await importsRunning()).toBe(false);
    expect((await world.call('jobs.get', { id: started.job.id })).status).toBe('interrupted');

    // Its next write finds the job interrupted and stops (the fence below): it stays interrupted.
    fail(new Error(JOB_NO_LONGER_RUNNING));
    expect(await started.finished).toMatchObject({ status: 'interrupted', error: JOB_NO_LONGER_RUNNING });
  });

  it('stops an import at its next write once another server marked it interrupted, committing nothing more', async () => {
    const org = await createOrg(world, 'Importco', '30.00');
    const agent = await createAgent(world, 'ann');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    await world.call('aliases.add', { agentId: agent.id, source: 'openai', kind: 'api_key', value: 'key_a' });
    const start = Date.parse('2026-04-09T00:00:00Z') / 1000;
    const files: [UsageFormat, string, string][] = [
      [
        'orgdeck',
        'march.csv',
        'timestamp,agent,model,input_tokens,output_tokens\n2026-04-09T10:00:00Z,ann,gpt-test,1000,10\n',
      ],
      [
        'openai',
        'openai.json',
        JSON.stringify({
          object: 'page',
          data: [
            {
              object: 'bucket',
              start_time: start,
              end_time: start + 86_400,
              results: [
                {
                  input_tokens: 900,
                  output_tokens: 50,
                  num_model_requests: 3,
                  api_key_id: 'key_a',
                  model: 'gpt-test',
                },
              ],
            },
          ],
        }),
      ],
    ];
    for (const [format, name, content] of files) {
      const id = randomUUID();
      await asEveryOrg(world.backend, (db) => {
        db.prepare(
          `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, host, pid, started_at, beat_at)
           VALUES (?, 'usage', ?, 'interrupted', 100, 'someone', ?, ?, ?, ?)`,
        ).run(id, name, ELSEWHERE, process.pid, CLOCK, CLOCK);
      });
      await expect(
        importDirectly(world.backend, world.writeFile(name, content), id, { format }),
      ).rejects.toThrow(JOB_NO_LONGER_RUNNING);
      expect(await world.call('jobs.get', { id })).toMatchObject({ status: 'interrupted', imported: 0 });
    }
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      input_tokens: 0,
      output_tokens: 0,
    });
  });

  it('keeps the batches an import wrote before another server marked it interrupted, and stops at the next', async () => {
    const org = await createOrg(world, 'Importco', '30.00');
    const agent = await createAgent(world, 'ann');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    const id = randomUUID();
    await asEveryOrg(world.backend, (db) =>
      createJobsRepo(db).insert({
        id,
        kind: 'usage',
        file_name: 'april.csv',
        format: 'orgdeck',
        bytes_total: 100,
        actor_label: 'someone',
        ...THIS_PROCESS,
        started_at: CLOCK,
      }),
    );
    const file = world.writeFile(
      'april.csv',
      'timestamp,agent,model,input_tokens,output_tokens\n2026-04-08T10:00:00Z,ann,gpt-test,1000,10\n2026-04-09T10:00:00Z,ann,gpt-test,2000,20\n',
    );
    let committed = 0;
    let firstCommitted = () => {};
    const afterFirst = new Promise<void>((resolve) => (firstCommitted = resolve));
    /**
     * One row a batch; once the first is committed, another server marks the job interrupted. (On
     * PostgreSQL the second is asked for while the first is still being written.)
     */
    async function* batches() {
      let read = 0;
      for await (const batch of readUsageBatches(file, 1)) {
        if (read++ === 1) {
          await afterFirst;
          await asEveryOrg(world.backend, (db) =>
            db.prepare("UPDATE import_jobs SET status = 'interrupted' WHERE id = ?").run(id),
          );
        }
        yield batch;
      }
    }
    const counted = () => {
      committed++;
      if (committed === 1) firstCommitted();
    };
    await expect(
      importDirectly(world.backend, file, id, { batches: batches(), onProgress: counted }),
    ).rejects.toThrow(JOB_NO_LONGER_RUNNING);
    expect(committed).toBe(1);
    expect(await world.call('jobs.get', { id })).toMatchObject({ status: 'interrupted', imported: 1 });
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      input_tokens: 1000,
      output_tokens: 10,
    });
  });

  it('takes a job of its own pid in an earlier run for cut off, as a restarted container is pid 1 again', async () => {
    const insert = (id: string, run: string) =>
      asEveryOrg(world.backend, (db) =>
        db
          .prepare(
            `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, host, pid, run, started_at, beat_at)
             VALUES (?, 'usage', 'april.csv', 'running', 100, 'someone', ?, ?, ?, ?, ?)`,
          )
          .run(id, THIS_PROCESS.host, THIS_PROCESS.pid, run, CLOCK, CLOCK),
      );
    const [earlier, current] = [randomUUID(), randomUUID()];
    await insert(earlier, 'an earlier run');
    await insert(current, THIS_PROCESS.run);
    world.reopen();
    expect((await world.call('jobs.get', { id: earlier })).status).toBe('interrupted');
    expect((await world.call('jobs.get', { id: current })).status).toBe('running');
  });
});

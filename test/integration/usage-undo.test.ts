// Issue 14, finding 6: an import can be undone (usage.undo / `orgdeck usage undo JOB_ID`): exactly
// its rows leave every rollup and its seen-row keys go, so importing the file again counts them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../../electron/backend/import-job-owner';
import type { CallSession } from '../../electron/backend/router/handler';
import { openDatabase } from '../../electron/backend/store/database';
import type { ImportJob } from '../../shared/contract/billing';
import { TIERS } from '../../shared/domain/token-pricing';
import { asEveryOrg, onPostgresProject } from '../fixtures/backend';
import {
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  margins,
  openBillingWorld,
  setPrice,
  usageRecord,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { ownerSession } from '../fixtures/tenants';

/** Two files: March and April for ann (in Acme), March for bob (in no org); one row in both files. */
const FIRST = [
  usageRecord('2026-03-02T10:00:00Z', 'ann', 'gpt-4o', 1_000_000, 0),
  usageRecord('2026-03-20T10:00:00Z', 'ann', 'gpt-4o', 2_000_000, 1_000_000),
  usageRecord('2026-03-03T10:00:00Z', 'bob', 'gpt-4o', 500_000, 0),
];
const SECOND = [
  usageRecord('2026-03-20T10:00:00Z', 'ann', 'gpt-4o', 2_000_000, 1_000_000),
  usageRecord('2026-03-25T10:00:00Z', 'ann', 'gpt-4o', 4_000_000, 0),
  usageRecord('2026-04-02T10:00:00Z', 'ann', 'gpt-4o', 8_000_000, 2_000_000),
  usageRecord('2026-03-26T10:00:00Z', 'bob', 'gpt-4o', 1_000_000, 0),
];

describe('usage.undo', () => {
  let world: BillingWorld;
  let acme: string;

  beforeEach(async () => {
    world = openBillingWorld('2026-03-01T00:00:00Z');
    acme = (await createOrg(world, 'Acme', '10.00')).id;
    const ann = await createAgent(world, 'ann');
    await createAgent(world, 'bob');
    await world.call('agents.assign', { agentIds: [ann.id], orgId: acme, at: '2026-03-01T00:00:00Z' });
    await setPrice(world, 'gpt-4o', '1', '2', '2026-01-01');
    // A price change in the middle of March: undoing must keep each day in its price period.
    await setPrice(world, 'gpt-4o', '3', '4', '2026-03-15');
    world.clock.set('2026-04-20T00:00:00Z');
  });
  afterEach(() => world.cleanup());

  const reports = async () => ({
    march: await margins(world, '2026-03'),
    april: await margins(world, '2026-04'),
    trend: await world.call('billing.trend', { month: '2026-04', months: 2 }),
  });

  it('takes exactly one job’s rows out of every month, and a re-import counts them again', async () => {
    const first = await world.importText('first.csv', csvOf(FIRST));
    const afterFirst = await reports();
    const second = await world.importText('second.csv', csvOf(SECOND));
    expect(second).toMatchObject({ imported: 3, skipped: 1 });
    const afterBoth = await reports();
    expect(afterBoth.march.totals.cost).not.toBe(afterFirst.march.totals.cost);

    const undone = await world.call('usage.undo', { jobId: second.id });
    expect(undone).toMatchObject({ id: second.id, undoneAt: '2026-04-20T00:00:00.000Z' });
    expect(await reports()).toEqual(afterFirst);
    expect((await world.call('jobs.get', { id: second.id })).undoneAt).toBe('2026-04-20T00:00:00.000Z');

    const audit = await world.call('audit.list', { action: 'usage.undone' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      target: { type: 'import', id: second.id },
      summary: { before: { file: 'second.csv', imported: 3 }, after: { removed: 3 } },
    });

    // The seen-row keys went with it: the same file counts again, and the figures come back.
    const again = await world.importText('second.csv', csvOf(SECOND));
    expect(again).toMatchObject({ imported: 3, skipped: 1 });
    expect(await reports()).toEqual(afterBoth);

    // Undoing the first import leaves only what the second re-import added.
    await world.call('usage.undo', { jobId: first.id });
    const march = await margins(world, '2026-03');
    // ann: 4M input on the 25th at $3 = 12.00; bob: 1M on the 26th at $3 = 3.00 (unattributed).
    expect(march.orgs.find((org) => org.id === acme)).toMatchObject({
      cost: '12.000000',
      input_tokens: 4_000_000,
    });
    expect(march.unattributed).toMatchObject({ cost: '3.000000', input_tokens: 1_000_000 });
  });

  it('takes out a day with more rows than a step a slice at a time, on after each slice and after a restart', async () => {
    // 160 agents. The second import has 40 rows on March 19 (ten agents, four tiers), 640
    // on the 20th (every agent, each tier) and four on the 21st; the first import has the same
    // agents' rows on the 20th. A step reads 250 rows at first and at most twice as many the next:
    // the 19th whole (its rows reach into the 20th, which is not whole in them), then the 20th in
    // slices, as it alone holds more than a step.
    const agents = Array.from({ length: 160 }, (_, i) => `crowd-${i}`);
    const imported = await world.call('agents.import', {
      csv: ['name,handle,email,model,org,rate', ...agents.map((h) => `${h},${h},,gpt-4o,acme,`)].join('\n'),
    });
    expect(imported).toMatchObject({ imported: agents.length });
    const rows = (at: string, handles: string[], tokens: number) =>
      handles.flatMap((handle, i) =>
        TIERS.map((tier) => ({ ...usageRecord(at, handle, 'gpt-4o', tokens + i, i), service_tier: tier })),
      );
    const first = await world.importText('first.csv', csvOf(rows('2026-03-20T09:00:00Z', agents, 1_000)));
    const afterFirst = await reports();
    const lastDay = rows('2026-03-21T15:00:00Z', agents.slice(0, 1), 50_000);
    const secondRows = [
      ...rows('2026-03-19T15:00:00Z', agents.slice(0, 10), 3_000),
      ...rows('2026-03-20T15:00:00Z', agents, 7_000),
      ...lastDay,
    ];
    const second = await world.importText('second.csv', csvOf(secondRows));
    expect(second).toMatchObject({ imported: secondRows.length });
    const afterBoth = await reports();
    // Unattributed: the agents joined Acme as they were imported, in April.
    const marchInput = (report: Awaited<ReturnType<typeof reports>>) =>
      report.march.unattributed?.input_tokens ?? 0;

    // The undo's first steps, a write each, and then the process stops: the 19th, part of the
    // 20th, then (a slice on from the last one's rows) more of it, or the rest.
    const { store } = world.backend;
    const ref = store.jobs.findUsageRef(second.id) as number;
    const step = () =>
      asEveryOrg(world.backend, () =>
        store.writeTransaction(() =>
          store.usageUndos.step(() => {
            throw new Error('three steps do not finish the undo');
          }),
        ),
      );
    await asEveryOrg(world.backend, () =>
      store.writeTransaction(() =>
        store.usageUndos.begin({ job: ref, actorId: null, actorLabel: 'owner', records: 0 }),
      ),
    );
    await step();
    await step();
    // Without the 20th: the first import's figures and the 21st.
    const withoutThe20th = marchInput(afterFirst) + lastDay.reduce((sum, row) => sum + row.input_tokens, 0);
    const partly = marchInput(await reports());
    // Some of the 20th's rows are still counted, and the reports agree with the rows left.
    expect(partly).toBeGreaterThan(withoutThe20th);
    expect(partly).toBeLessThan(marchInput(afterBoth));
    expect((await reports()).trend).not.toEqual(afterBoth.trend);
    await step();
    const more = marchInput(await reports());
    expect(more).toBeLessThan(partly);
    expect(more).toBeGreaterThanOrEqual(withoutThe20th);

    world.reopen();
    await world.backend.resumed;
    expect(await reports()).toEqual(afterFirst);
    const audit = await world.call('audit.list', { action: 'usage.undone' });
    expect(audit.items[0]).toMatchObject({ summary: { after: { removed: secondRows.length } } });
    expect((await world.call('jobs.get', { id: first.id })).undoneAt).toBeNull();
  });

  it('shows an undo a restart cut off as in progress, refuses it again, and finishes it at the next start', async () => {
    const first = await world.importText('first.csv', csvOf(FIRST));
    const afterFirst = await reports();
    const second = await world.importText('second.csv', csvOf(SECOND));
    const { store } = world.backend;
    const ref = store.jobs.findUsageRef(second.id) as number;
    // What usage.undo writes first, and then its first steps (a few days of one model and one month
    // each, here March's days and April's of this small import): the process stops there.
    await asEveryOrg(world.backend, () =>
      store.writeTransaction(() => {
        store.usageUndos.begin({ job: ref, actorId: null, actorLabel: 'owner', records: 0 });
        for (const month of ['March', 'April'])
          store.usageUndos.step(() => {
            throw new Error(`${month}'s step does not finish the undo`);
          });
      }),
    );

    expect(await world.call('jobs.get', { id: second.id })).toMatchObject({ undoing: true, undoneAt: null });
    const listed = (await world.call('jobs.list', {})).find((job: ImportJob) => job.id === second.id);
    expect(listed).toMatchObject({ undoing: true, undoneAt: null });
    const again = await world.backend.router.call('usage.undo', { jobId: second.id }, ownerSession());
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/being undone/) },
    });
    // Its daily rows left with that write, and every report shows so; it is not undone until its
    // seen-row keys are gone too, so it is in no trail yet.
    expect(await reports()).toEqual(afterFirst);
    expect((await world.call('audit.list', { action: 'usage.undone' })).items).toEqual([]);

    world.reopen();
    await world.backend.resumed;
    expect(await reports()).toEqual(afterFirst);
    expect(await world.call('jobs.get', { id: second.id })).toMatchObject({
      undoing: false,
      undoneAt: '2026-04-20T00:00:00.000Z',
    });
    const audit = await world.call('audit.list', { action: 'usage.undone' });
    expect(audit.items).toEqual([
      expect.objectContaining({
        actor: 'owner',
        summary: { before: { file: 'second.csv', imported: 3 }, after: { removed: 3 } },
      }),
    ]);
    // Its seen-row keys went too: the file counts again.
    expect(await world.importText('second.csv', csvOf(SECOND))).toMatchObject({ imported: 3, skipped: 1 });
    expect((await world.call('jobs.get', { id: first.id })).undoing).toBe(false);
  });

  it('refuses to undo twice, an unknown job and a running one, changing nothing', async () => {
    const job = await world.importText('first.csv', csvOf(FIRST));
    await world.call('usage.undo', { jobId: job.id });
    const before = await reports();
    const revision = world.backend.store.billingRevision.current();

    const refused = async (jobId: string, session?: CallSession) => {
      const envelope = await world.backend.router.call('usage.undo', { jobId }, session ?? ownerSession());
      if (envelope.ok) throw new Error('usage.undo was not refused');
      return envelope.error;
    };
    expect(await refused(job.id)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already undone/),
    });
    expect(await refused('00000000-0000-4000-8000-000000000000')).toMatchObject({ code: 'NOT_FOUND' });

    world.backend.store.jobs.insert({
      id: '00000000-0000-4000-8000-0000000000aa',
      kind: 'usage',
      format: 'orgdeck',
      file_name: 'big.csv',
      bytes_total: 10,
      actor_label: 'test',
      ...THIS_PROCESS,
      started_at: '2026-04-20T00:00:00.000Z',
    });
    expect(await refused('00000000-0000-4000-8000-0000000000aa')).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/still running/),
    });
    expect(world.backend.store.billingRevision.current()).toBe(revision);
    expect(await reports()).toEqual(before);
  });

  it('is for owners, admins and billing admins only: not even a manager of the org undoes', async () => {
    const job = await world.importText('first.csv', csvOf(FIRST));
    const before = await reports();
    const user: CallSession = {
      token: null,
      setToken: () => {},
      principal: {
        userId: 'u1',
        label: 'alice',
        role: 'user',
        memberships: [{ orgId: acme, role: 'manager' }],
        pages: ['billing'],
        mustEnrolTwoFactor: false,
      },
    };
    const envelope = await world.backend.router.call('usage.undo', { jobId: job.id }, user);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await reports()).toEqual(before);
  });

  it('runs from the CLI as `orgdeck usage undo JOB_ID`', async () => {
    const job: ImportJob = await world.importText('first.csv', csvOf(FIRST));
    world.backend.close();
    const undo = await runCliIn(world.dataDir, ['usage', 'undo', job.id]);
    expect(undo).toMatchObject({ code: 0, out: expect.stringMatching(/Undid the import of first\.csv/) });
    const twice = await runCliIn(world.dataDir, ['usage', 'undo', job.id]);
    expect(twice.code).not.toBe(0);
    expect(twice.err).toMatch(/already undone/);
    world.reopen();
    expect((await margins(world, '2026-03')).totals.cost).toBe('0.000000');
  });
});

// A SQLite store as its version 9 left it: PostgreSQL stores began after.
describe.skipIf(onPostgresProject())('migration 10: usage rows remember their import', () => {
  const ACME = '00000000-0000-4000-8000-0000000000c1';
  const ANN = '00000000-0000-4000-8000-0000000000a1';
  const OLD_JOB = '00000000-0000-4000-8000-0000000000f1';
  const T = '2026-01-01T00:00:00.000Z';
  let world: BillingWorld;

  beforeEach(() => {
    // A store as version 9 left it: Ann in Acme, 1M tokens of gpt-4o on 5 March from a finished job.
    const dataDir = mkdtempSync(join(tmpdir(), 'orgdeck-undo-migration-'));
    const db = openDatabase(join(dataDir, 'orgdeck.db'), { migrateTo: 9 });
    const day = Date.parse('2026-03-05T00:00:00Z') / 86_400_000;
    db.exec(`
      INSERT INTO orgs (id, slug, name, rate_micros, created_at, updated_at) VALUES ('${ACME}', 'acme', 'Acme', 30000000, '${T}', '${T}');
      INSERT INTO agents (id, handle, name, org_id, created_at, updated_at) VALUES ('${ANN}', 'ann', 'Ann', '${ACME}', '${T}', '${T}');
      INSERT INTO agent_assignments (agent_id, org_id, from_at) VALUES ('${ANN}', '${ACME}', '${T}');
      INSERT INTO model_prices (model, effective_from, input_pico, output_pico, created_at) VALUES ('gpt-4o', '2026-01-01', 1000000, 0, '${T}');
      INSERT INTO usage_refs (id, kind, name) VALUES (1, 'model', 'gpt-4o'), (2, 'agent', '${ANN}'), (3, 'org', '${ACME}');
      INSERT INTO usage_days (model, day, agent, org, input_tokens, output_tokens, records) VALUES (1, ${day}, 2, 3, 1000000, 0, 1);
      INSERT INTO usage_months VALUES (202603, 3, 2, 1, 1, 1000000, 0, 1);
      INSERT INTO usage_org_months VALUES (202603, 3, 1, 1, 1000000, 0, 1);
      INSERT INTO usage_seen (key) VALUES (42);
      INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, imported, actor_label, pid, started_at, finished_at)
        VALUES ('${OLD_JOB}', 'usage', 'old.csv', 'done', 100, 1, 'owner', 1, '${T}', '${T}');
    `);
    db.close();
    world = openBillingWorld('2026-04-10T00:00:00Z', { dataDir });
  });
  afterEach(() => world.cleanup());

  it('keeps the old figures, refuses to undo an import it cannot tell apart, and undoes a new one', async () => {
    expect((await margins(world, '2026-03')).totals.cost).toBe('1.000000');
    expect(await world.call('jobs.get', { id: OLD_JOB })).toMatchObject({ status: 'done', undoneAt: null });
    const old = await world.backend.router.call('usage.undo', { jobId: OLD_JOB }, ownerSession());
    expect(old).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/older version/) },
    });

    const job = await world.importText(
      'new.csv',
      csvOf([usageRecord('2026-03-06T00:00:00Z', 'ann', 'gpt-4o', 2_000_000, 0)]),
    );
    expect((await margins(world, '2026-03')).totals.cost).toBe('3.000000');
    await world.call('usage.undo', { jobId: job.id });
    expect((await margins(world, '2026-03')).totals.cost).toBe('1.000000');
    expect(world.backend.store.db.prepare('SELECT count(*) FROM usage_seen').pluck().get()).toBe(1);
  });
});

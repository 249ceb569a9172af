import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../../electron/backend/import-job-owner';
import { connectPostgresClient } from '../../electron/backend/store/postgres/connection';
import { createJobsRepo } from '../../electron/backend/store/repos/jobs-repo';
import { importUsageBatchesPostgres } from '../../electron/backend/usage/import-usage-pg';
import { readUsageBatches } from '../../electron/backend/usage/usage-reader';
import { asEveryOrg, onPostgresProject } from '../fixtures/backend';
import {
  agentIn,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
  unassign,
} from '../fixtures/billing';
import { previewArchive } from '../fixtures/org-archives';
import { onceWaitedOn } from '../fixtures/postgres-lock-waits';

const CLOCK = '2026-10-20T00:00:00.000Z';
const HEADER = 'timestamp,agent,model,input_tokens,output_tokens\n';
const DAY_COLUMNS = `model, day, agent, org, tier, band, input_tokens, output_tokens, cache_read_tokens,
  cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records, job`;
const GPT = 'gpt-4o-2024-08-06';
const OPENAI = readFileSync(join(__dirname, '../fixtures/usage-exports/openai-completions.json'), 'utf8');

/** A connection that holds its first query containing `text` until `release()`; `reached` once it came. */
function gateAt(client: pg.Client, text: string) {
  let arrived = () => {};
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const gated = {
    query: async (...args: Parameters<pg.Client['query']>) => {
      if (!held && typeof args[0] === 'string' && args[0].includes(text)) {
        held = true;
        arrived();
        await released;
      }
      return (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  } as unknown as pg.Client;
  return { gated, reached, release };
}

// Servers sharing a PostgreSQL database: an import batch written on one connection (another
// server's, or this server's import worker) while a re-pricing or another rollup write commits on
// another. On SQLite the import loads and writes under the one write lock.
describe.skipIf(!onPostgresProject())('usage rollup writes beside other servers’ on PostgreSQL', () => {
  let world: BillingWorld;
  const clients: pg.Client[] = [];

  beforeEach(() => {
    world = openBillingWorld(CLOCK);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end();
    world.cleanup();
  });

  async function setUp() {
    const org = await createOrg(world, 'Importco', '30.00');
    const agent = await createAgent(world, 'ann');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    return { org, agent };
  }

  async function connect(): Promise<pg.Client> {
    const client = await connectPostgresClient(world.backend.store.postgres?.url as string);
    clients.push(client);
    return client;
  }

  /** Another server's connection, seeing every org (row-level security). */
  async function otherServer(): Promise<pg.Client> {
    const other = await connect();
    const orgIds = await asEveryOrg(world.backend, () => world.backend.store.orgs.ids());
    await other.query(
      "SELECT set_config('orgdeck.org_ids', $1, false), set_config('orgdeck.msp_wide', 'on', false)",
      [orgIds.join(',')],
    );
    return other;
  }

  /**
   * Sends `sql` on `session` and returns its answer once the statement waits for a lock, 900 ms
   * later: its deadlock check comes 1 s after it began waiting, so a session that waits for it
   * from then on and closes a ring would see the server cancel it, whatever its own lock timeout.
   */
  async function nearlyDeadlocked(session: pg.Client, sql: string): Promise<{ answer: Promise<unknown> }> {
    const pid = (await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const answer = session.query(sql);
    const watcher = await connect();
    const waiting = async () =>
      (
        await watcher.query<{ wait: string | null }>(
          'SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
          [pid],
        )
      ).rows[0]?.wait === 'Lock';
    while (!(await waiting())) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 900));
    return { answer };
  }

  /** Another server's price change of `model` from `from`, `times` its first price: written, not committed. */
  async function otherServerPricing(model: string, from: string, times: number): Promise<pg.Client> {
    const other = await connect();
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO model_prices (model, effective_from, input_pico, output_pico, source, created_at)
       SELECT model, $2, input_pico * $3, output_pico * $3, source, created_at FROM model_prices
       WHERE model = $1`,
      [model, from, times],
    );
    return other;
  }

  /** The OpenAI export's project proj_support is `agentId`'s, and its model costs $2 and $8. */
  async function openAiProjectOf(agentId: string): Promise<void> {
    await world.call('aliases.add', { agentId, source: 'openai', kind: 'project', value: 'proj_support' });
    await setPrice(world, GPT, '2.00', '8.00', '2026-01-01');
  }

  /** Starts importing `csv` as another server would, on `client`, as a job of its own. */
  async function startImport(client: pg.Client, csv: string, rowsPerBatch = 1000) {
    const { store } = world.backend;
    const orgIds = await asEveryOrg(world.backend, () => store.orgs.ids());
    const jobId = randomUUID();
    await asEveryOrg(world.backend, (db) =>
      createJobsRepo(db).insert({
        id: jobId,
        kind: 'usage',
        file_name: 'april.csv',
        format: 'orgdeck',
        bytes_total: 100,
        actor_label: 'another server',
        ...THIS_PROCESS,
        started_at: CLOCK,
      }),
    );
    const file = world.writeFile(`${jobId}.csv`, HEADER + csv);
    return importUsageBatchesPostgres(client, jobId, readUsageBatches(file, rowsPerBatch), {
      orgIds,
      bytesTotal: statSync(file).size,
    });
  }

  it.each([
    ['from the 1st (the month relabelled)', '2026-04-01'],
    ['from mid-month (the month summed again from its days)', '2026-04-05'],
  ])('writes a batch placed before a re-pricing %s committed at the new price', async (_, from) => {
    const { org } = await setUp();
    // The batch has read the prices ($1) and placed its rows (one of them an unknown agent's), and
    // waits to add them to the rollups until the re-pricing is in.
    const { gated, reached, release } = gateAt(await connect(), 'INSERT INTO usage_days');
    const importing = startImport(
      gated,
      '2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n2026-04-09T11:00:00Z,zed,gpt-test,5,0\n',
    );
    await reached;
    // April's input goes to $3, here, while the batch is open: the re-pricing's own writes wait for
    // nothing of the batch's, and move every row they can see.
    await setPrice(world, 'gpt-test', '3.00', '2.00', from);
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({ input_tokens: 0 });
    release();

    // Rows placed at $1 would keep it: the re-pricing never saw them.
    const done = await importing;
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      input_tokens: 1_000_000,
      cost: '3.000000',
    });
    // Written twice, counted once.
    expect(done).toMatchObject({ imported: 1, bad: 1 });
  });

  it('places every later batch by its own names after a batch is written again', async () => {
    const { org } = await setUp();
    for (const handle of ['bob', 'cat']) {
      const agent = await createAgent(world, handle);
      await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    }
    // A row a batch, each naming an agent the file had not named: while the first is held at its
    // merge, the second is read and placed ahead; the re-pricing makes the first be written again.
    const { gated, reached, release } = gateAt(await connect(), 'INSERT INTO usage_days');
    const importing = startImport(
      gated,
      '2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n2026-04-09T11:00:00Z,bob,gpt-test,2000000,0\n' +
        '2026-04-09T12:00:00Z,cat,gpt-test,3000000,0\n',
      1,
    );
    await reached;
    await setPrice(world, 'gpt-test', '3.00', '2.00', '2026-04-01');
    release();

    expect(await importing).toMatchObject({ imported: 3 });
    const april = orgIn(await margins(world, '2026-04'), org.id);
    // Written again at $3 (6M tokens).
    expect(april).toMatchObject({ cost: '18.000000' });
    // Learned twice, ann's name would have taken cat's number: cat's tokens under ann.
    expect(['ann', 'bob', 'cat'].map((handle) => agentIn(april, handle).input_tokens)).toEqual([
      1_000_000, 2_000_000, 3_000_000,
    ]);
  });

  it('gives way to a write that took the revision lock and waits for a rollup row the batch changed', async () => {
    const { org } = await setUp();
    await setPrice(world, 'gpt-other', '1.00', '2.00', '2026-01-01');
    await startImport(await connect(), '2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n');
    // The second import adds to April's sums, row-locking them, and names a model no import named
    // before (its load gives it an integer), then waits before its revision bump.
    const { gated, reached, release } = gateAt(await connect(), 'UPDATE billing_revision');
    const importing = startImport(
      gated,
      '2026-04-10T10:00:00Z,ann,gpt-test,2000000,0\n2026-04-10T11:00:00Z,ann,gpt-other,500000,0\n',
    );
    await reached;

    // Another server's rollup write (a re-pricing's relabel, an undo): the revision lock first, then
    // April's sums, which wait for the batch.
    const other = await otherServer();
    await other.query('BEGIN');
    await other.query('SELECT n FROM billing_revision FOR NO KEY UPDATE');
    const rowsLocked = await nearlyDeadlocked(
      other,
      'SELECT 1 FROM usage_months WHERE month = 202604 FOR UPDATE',
    );
    release();

    // Had the batch waited for the revision lock, each would wait for the other, and the server
    // would cancel one (a deadlock): the batch steps back instead, and is written after the write.
    await expect(rowsLocked.answer).resolves.toMatchObject({ rowCount: 1 });
    await other.query('COMMIT');
    expect(await importing).toMatchObject({ imported: 2 });
    const april = await margins(world, '2026-04');
    expect(orgIn(april, org.id)).toMatchObject({ input_tokens: 3_500_000, cost: '3.500000' });
    // Written again under the integer its first load gave the new model (rolled back), that
    // model's row would be named by nothing: missing from the month's cost by model.
    expect(april.cost_by_model.map(({ model, input_tokens }) => ({ model, input_tokens }))).toEqual([
      { model: 'gpt-other', input_tokens: 500_000 },
      { model: 'gpt-test', input_tokens: 3_000_000 },
    ]);
  });

  it('gives way to a write that holds the revision lock and waits for it behind another session', async () => {
    const { org } = await setUp();
    await startImport(
      await connect(),
      '2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n2026-05-09T10:00:00Z,ann,gpt-test,1000000,0\n',
    );
    // The batch adds to April's sums, then waits before its revision bump.
    const { gated, reached, release } = gateAt(await connect(), 'UPDATE billing_revision');
    const importing = startImport(gated, '2026-04-10T10:00:00Z,ann,gpt-test,2000000,0\n');
    await reached;
    // Another session holds May's sums and waits for April's (the batch's); a rollup write holds
    // the revision lock and waits for May's.
    const between = await otherServer();
    await between.query('BEGIN');
    await between.query('UPDATE usage_months SET records = records WHERE month = 202605');
    const betweenDone = between.query('SELECT 1 FROM usage_months WHERE month = 202604 FOR UPDATE; COMMIT');
    const writer = await otherServer();
    await writer.query('BEGIN');
    await writer.query('SELECT n FROM billing_revision FOR NO KEY UPDATE');
    const written = await nearlyDeadlocked(
      writer,
      'UPDATE usage_months SET records = records WHERE month = 202605',
    );
    release();

    // Three waiting in a ring, the database would cancel the write: the batch steps back instead.
    await expect(written.answer).resolves.toMatchObject({ command: 'UPDATE' });
    await betweenDone;
    await writer.query('COMMIT');
    expect(await importing).toMatchObject({ imported: 1 });
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({ input_tokens: 3_000_000 });
  });

  it('waits for a short write holding the revision lock rather than write the batch again', async () => {
    const { org } = await setUp();
    // Another server's rewrite step: it holds the lock, and commits a moment after the batch waits.
    const other = await connect();
    await other.query('BEGIN');
    await other.query('SELECT n FROM billing_revision FOR NO KEY UPDATE');
    const committed = other.query(`${onceWaitedOn()} SELECT pg_sleep(0.05); COMMIT`);
    const client = await connect();
    let merges = 0;
    const counted = {
      query: (...args: Parameters<pg.Client['query']>) => {
        if (typeof args[0] === 'string' && args[0].includes('INSERT INTO usage_days')) merges++;
        return (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    } as unknown as pg.Client;

    expect(await startImport(counted, '2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n')).toMatchObject({
      imported: 1,
    });
    await committed;
    // Stepping back at once, it would merge its rows twice (or, beside a long run of such writes,
    // again and again).
    expect(merges).toBe(1);
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({ input_tokens: 1_000_000 });
  });

  it('imports a provider export after a price change another server is committing, at its price', async () => {
    const { org, agent } = await setUp();
    await openAiProjectOf(agent.id);
    // Another server's price change of October, twice the price: written, not yet committed.
    const other = await otherServerPricing(GPT, '2026-10-01', 2);
    // It commits once something waits for it (this thread waits in the export meanwhile).
    const committed = other.query(`${onceWaitedOn()} COMMIT`);
    const job = await world.importText('openai.json', OPENAI);
    await committed;

    expect(job).toMatchObject({ format: 'openai', imported: 2 });
    // October's rows at the price committed before the export read any, $4 and $16: 170,000 input
    // tokens (cache reads priced as input) and 28,000 output. Read earlier, they would keep $2 and
    // $8 ($0.564), which no relabel moves: this raw change has none, a service's runs before its commit.
    expect(orgIn(await margins(world, '2026-10'), org.id)).toMatchObject({ cost: '1.128000' });
  });

  /**
   * Another server's rollup write (a provider export, a relabel): it takes the revision lock, then,
   * once something waits for it, updates month `month`'s sums, which a write that took them before
   * the lock would hold. `committed` resolves once it committed.
   */
  async function otherServerWrites(month: number): Promise<{ committed: Promise<unknown> }> {
    const other = await otherServer();
    await other.query('BEGIN');
    await other.query('SELECT n FROM billing_revision FOR NO KEY UPDATE');
    const committed = other.query(
      `${onceWaitedOn()} UPDATE usage_months SET records = records WHERE month = ${month}; COMMIT`,
    );
    return { committed };
  }

  it('undoes an import beside another server’s rollup write, neither cancelled', async () => {
    const { org } = await setUp();
    const first = await world.importText(
      'first.csv',
      `${HEADER}2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n`,
    );
    const second = await world.importText(
      'second.csv',
      `${HEADER}2026-04-10T10:00:00Z,ann,gpt-test,2000000,0\n`,
    );
    expect([first.imported, second.imported]).toEqual([1, 1]);
    const other = await otherServerWrites(202604);

    await world.call('usage.undo', { jobId: second.id });
    await expect(other.committed).resolves.toBeDefined();
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      input_tokens: 1_000_000,
      cost: '1.000000',
    });
  });

  it('undoes a provider export beside another server’s rollup write, neither cancelled', async () => {
    const { org, agent } = await setUp();
    await openAiProjectOf(agent.id);
    const job = await world.importText('openai.json', OPENAI);
    expect(orgIn(await margins(world, '2026-10'), org.id)).toMatchObject({ cost: '0.564000' });
    const other = await otherServerWrites(202610);

    await world.call('usage.undo', { jobId: job.id });
    await expect(other.committed).resolves.toBeDefined();
    expect(orgIn(await margins(world, '2026-10'), org.id)).toMatchObject({
      input_tokens: 0,
      cost: '0.000000',
    });
  });

  it('purges an org with the rows another server’s batch was committing into it', async () => {
    const { org, agent } = await setUp();
    await world.importText('first.csv', `${HEADER}2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n`);
    await unassign(world, agent.id, '2026-05-01T00:00:00Z');
    await world.call('orgs.delete', { id: org.id, confirmName: 'Importco' });
    world.clock.set('2026-12-01T00:00:00.000Z');
    // Another server's batch adds a day of the org's, bumps the revision (its lock), and commits
    // once the purge waits for it.
    const other = await otherServer();
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO usage_days (${DAY_COLUMNS}) SELECT model, day + 1, agent, org, tier, band,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
         reasoning_tokens, records, job FROM usage_days`,
    );
    await other.query('UPDATE billing_revision SET n = n + 1');
    const committed = other.query(`${onceWaitedOn()} COMMIT`);

    expect(await asEveryOrg(world.backend, () => world.backend.services.orgs.purgeExpired())).toBe(1);
    await committed;
    // Purged before the batch's rows were in, the purge would have left them behind.
    expect((await other.query('SELECT count(*)::int AS days FROM usage_days')).rows).toEqual([{ days: 0 }]);
  });

  it('imports an org archive after a price change another server is committing, at its price', async () => {
    const { org } = await setUp();
    await world.importText('april.csv', `${HEADER}2026-04-09T10:00:00Z,ann,gpt-test,1000000,0\n`);
    const archive = (await world.call('orgs.export', { id: org.id })).content;
    const { importId } = await previewArchive(world, archive);
    // Another server's price change of April, three times the price: written, not yet committed.
    const other = await otherServerPricing('gpt-test', '2026-04-01', 3);
    const committed = other.query(`${onceWaitedOn()} COMMIT`);

    const copy = await world.call('orgs.importApply', { importId, slug: 'importco-copy' });
    await committed;
    // Its months summed at the price committed before the import read any; read earlier, $1.
    expect(orgIn(await margins(world, '2026-04'), copy.org.id)).toMatchObject({
      input_tokens: 1_000_000,
      cost: '3.000000',
    });
  });
});

import { statSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresDatabase } from '../../electron/backend/store/postgres/migrate';
import {
  createUsageImportPg,
  type UsageImportPg,
} from '../../electron/backend/store/postgres/usage-import-pg';
import { importUsageBatchesPostgres } from '../../electron/backend/usage/import-usage-pg';
import { readUsageBatches } from '../../electron/backend/usage/usage-reader';
import { sqliteOfBackend } from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  openBillingWorld,
  type UsageRecord,
  unassign,
} from '../fixtures/billing';
import {
  OWNER_ROLE,
  type PostgresCluster,
  SERVER_ROLE,
  SKIP_WITHOUT_POSTGRES,
  startPostgresCluster,
} from '../fixtures/postgres-cluster';
import { copyPlacingTables } from '../fixtures/postgres-placing';

const CLOCK = '2026-04-10T00:00:00Z';
/** Small batches, so the file spans many transactions and repeated ids fall in different batches. */
const BATCH = 400;

// mulberry32: the same file every run.
let seed = 7;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const below = (n: number) => Math.floor(random() * n);

/**
 * Three orgs; ann moves from Acme to Beta mid-March, cat is in no org, dan leaves Gamma; two priced
 * models (one with a long-context band from March) and one without a price.
 */
async function setUp(world: BillingWorld): Promise<void> {
  const acme = await createOrg(world, 'Acme', '30.00');
  const beta = await createOrg(world, 'Beta', '40.00');
  const gamma = await createOrg(world, 'Gamma', '50.00', 'full_month');
  const ann = await createAgent(world, 'ann');
  const bob = await createAgent(world, 'bob');
  await createAgent(world, 'cat');
  const dan = await createAgent(world, 'dan');
  await assign(world, ann.id, acme.id, '2026-01-01T00:00:00Z');
  await assign(world, ann.id, beta.id, '2026-03-15T12:00:00Z');
  await assign(world, bob.id, beta.id, '2026-01-01T00:00:00Z');
  await assign(world, dan.id, gamma.id, '2026-01-01T00:00:00Z');
  await unassign(world, dan.id, '2026-03-20T00:00:00Z');
  await world.call('prices.set', { model: 'gpt-test', input: '1.00', output: '2.00', from: '2026-01-01' });
  await world.call('prices.set', {
    model: 'gpt-test',
    input: '2.00',
    output: '8.00',
    rates: [
      { category: 'cache_read', price: '0.20' },
      { category: 'input', tier: 'batch', price: '1.00' },
      { category: 'input', above: 200_000, price: '4.00' },
    ],
    from: '2026-03-01',
  });
  await world.call('prices.set', {
    model: 'claude-test',
    input: '3.00',
    output: '15.00',
    from: '2026-01-01',
  });
}

/** 3,000 rows over February and March, every column, with ids some rows repeat and a few bad rows. */
function usageRows(): UsageRecord[] {
  const records: UsageRecord[] = [];
  const start = Date.parse('2026-02-01T00:00:00Z');
  for (let i = 0; i < 3_000; i++) {
    const output = below(4_000);
    records.push({
      timestamp: new Date(start + below(59 * 86_400) * 1000).toISOString(),
      agent: ['ann', 'bob', 'cat', 'dan', 'ghost'][i % 37 === 0 ? 4 : below(4)] as string,
      // A model first named near the end: a later batch gives it its integer.
      model:
        i >= 2_900 && i % 10 === 0
          ? 'late-model'
          : (['gpt-test', 'claude-test', 'unpriced-model'][below(3)] as string),
      input_tokens: below(20_000),
      output_tokens: output,
      cache_read_tokens: below(250_000),
      cache_write_tokens: below(5_000),
      cache_write_1h_tokens: i % 5 === 0 ? below(5_000) : 0,
      reasoning_tokens: below(output + 1),
      service_tier: ['standard', 'batch', 'flex', 'priority'][below(4)] as string,
      requests: 1 + below(3),
      ...(i % 50 === 0 ? { long_context: true } : {}),
      // Every fifth row repeats an earlier row's id: it is skipped, in its batch or a later one.
      id: i % 5 === 4 ? `row-${below(i)}` : `row-${i}`,
    });
  }
  return records;
}

/** A rollup's rows by the names its integers stand for, summed per key, in a stable order. */
const ROLLUPS = {
  usage_days: 'model, day, agent, org, tier, band',
  usage_months: 'month, org, agent, model, price, tier, band',
  usage_org_months: 'month, org, model, price, tier, band',
} as const;
const SUMS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'records',
];
function rollupSql(table: keyof typeof ROLLUPS): string {
  const named = (column: string) =>
    ['model', 'agent', 'org'].includes(column)
      ? `coalesce((SELECT name FROM usage_refs r WHERE r.id = t.${column}), '(none)') AS ${column}`
      : `t.${column} AS ${column}`;
  const keys = ROLLUPS[table].split(', ');
  return `SELECT ${keys.map(named).join(', ')}, ${SUMS.map((sum) => `CAST(sum(t.${sum}) AS text) AS ${sum}`).join(', ')}
    FROM ${table} t GROUP BY ${keys.map((key) => `t.${key}`).join(', ')}
    ORDER BY ${keys.map((_, i) => i + 1).join(', ')}`;
}

const asText = (rows: Record<string, unknown>[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)])));

/** A batch's rollup rows staged and merged, as the import writes them. */
async function writeRollups(
  store: UsageImportPg,
  dayRows: number[],
  monthRows: number[],
  orgMonthRows: number[],
): Promise<void> {
  await store.stageRollups(dayRows, monthRows, orgMonthRows);
  await store.mergeRollups();
}

describe.skipIf(SKIP_WITHOUT_POSTGRES)('usage import on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let owner: pg.Client;
  let server: pg.Client;
  let world: BillingWorld;
  let orgIds: string[];
  let file: string;

  /** Runs `work` in every org's scope (MSP-wide) as the owner role, in one transaction. */
  async function everyOrg<T>(work: () => Promise<T>): Promise<T> {
    await owner.query('BEGIN');
    try {
      await owner.query(
        "SELECT set_config('orgdeck.org_ids', $1, true), set_config('orgdeck.msp_wide', 'on', true)",
        [orgIds.join(',')],
      );
      const result = await work();
      await owner.query('COMMIT');
      return result;
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  }

  const pgRollup = (table: keyof typeof ROLLUPS) =>
    everyOrg(async () => asText((await owner.query(rollupSql(table))).rows));
  /** Every rollup, one transaction after another: the one client runs one at a time. */
  async function allPgRollups() {
    const rollups: Awaited<ReturnType<typeof pgRollup>>[] = [];
    for (const table of Object.keys(ROLLUPS) as (keyof typeof ROLLUPS)[]) rollups.push(await pgRollup(table));
    return rollups;
  }
  const sqliteRollup = (table: keyof typeof ROLLUPS) =>
    asText(world.backend.store.db.prepare(rollupSql(table)).all() as Record<string, unknown>[]);

  async function importIntoPostgres(jobId: string) {
    await server.query(
      `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, pid, started_at)
       VALUES ($1, 'usage', 'usage.csv', 'running', $2, 'test', $3, $4)`,
      [jobId, statSync(file).size, process.pid, CLOCK],
    );
    return importUsageBatchesPostgres(server, jobId, readUsageBatches(file, BATCH), {
      orgIds,
      bytesTotal: statSync(file).size,
    });
  }

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.createDatabase('usage');
    await migratePostgresDatabase(cluster.url(OWNER_ROLE, 'usage'), SERVER_ROLE);
    owner = new pg.Client({ connectionString: cluster.url(OWNER_ROLE, 'usage') });
    server = new pg.Client({ connectionString: cluster.url(SERVER_ROLE, 'usage') });
    await owner.connect();
    await server.connect();

    world = openBillingWorld(CLOCK);
    await setUp(world);
    orgIds = await copyPlacingTables(sqliteOfBackend(world.backend), owner);
    file = world.writeFile('usage.csv', csvOf(usageRows()));
  }, 120_000);

  afterAll(async () => {
    world?.cleanup();
    await owner?.end();
    await server?.end();
    cluster?.stop();
  });

  it('adds up the same days, months and org months as SQLite, as the server role', async () => {
    const onSqlite = await world.importText('usage.csv', csvOf(usageRows()));
    const onPostgres = await importIntoPostgres('job-1');

    expect(onSqlite.status).toBe('done');
    expect(onSqlite.imported).toBeGreaterThan(2_000);
    expect(onSqlite.skipped).toBeGreaterThan(100);
    expect(onSqlite.bad).toBeGreaterThan(0);
    expect(onPostgres).toMatchObject({
      imported: onSqlite.imported,
      skipped: onSqlite.skipped,
      bad: onSqlite.bad,
      rowsRead: onSqlite.rowsRead,
    });
    const job = await server.query('SELECT imported, skipped, bad, rows_read, bad_rows FROM import_jobs');
    expect(job.rows[0]).toMatchObject({
      imported: String(onSqlite.imported),
      skipped: String(onSqlite.skipped),
      bad: String(onSqlite.bad),
      rows_read: String(onSqlite.rowsRead),
    });
    expect(JSON.parse(job.rows[0].bad_rows)).toEqual(onSqlite.badRows);

    for (const table of Object.keys(ROLLUPS) as (keyof typeof ROLLUPS)[]) {
      const expected = sqliteRollup(table);
      expect(expected.length).toBeGreaterThan(10);
      expect(await pgRollup(table), table).toEqual(expected);
    }
    // Usage of cat (in no org) and of ann in both her orgs arrived.
    const orgsOfDays = new Set((await pgRollup('usage_days')).map((row) => row.org));
    expect(orgsOfDays).toEqual(new Set([...orgIds, '(none)']));
    // Each day row names the import, so undoing it finds them.
    const jobs = await everyOrg(() =>
      owner.query('SELECT DISTINCT d.job FROM usage_days d JOIN usage_jobs j ON j.id = d.job'),
    );
    expect(jobs.rowCount).toBe(1);
  });

  it('adds nothing when the same file is imported again', async () => {
    const before = await allPgRollups();
    const first = (
      await server.query('SELECT imported, skipped, bad FROM import_jobs WHERE id = $1', ['job-1'])
    ).rows[0];
    const again = await importIntoPostgres('job-2');
    expect(again).toMatchObject({
      imported: 0,
      skipped: Number(first.imported) + Number(first.skipped),
      bad: Number(first.bad),
    });
    expect(await allPgRollups()).toEqual(before);
  });

  it('adds both imports to a month row two imports write at the same time', async () => {
    const org = (
      await server.query<{ id: string }>("SELECT id FROM usage_refs WHERE kind = 'org' AND name = $1", [
        orgIds[0],
      ])
    ).rows[0]?.id;
    // A month no other test writes: [month, org, agent, model, price, tier, band, ...sums, records].
    const monthRow = [209912, Number(org), 1, 1, 0, 0, 0, 10, 20, 0, 0, 0, 0, 1];
    const alongside = new pg.Client({ connectionString: cluster.url(SERVER_ROLE, 'usage') });
    await alongside.connect();
    const first = createUsageImportPg(server);
    const second = createUsageImportPg(alongside);
    await first.prepare();
    await second.prepare();
    try {
      await server.query('BEGIN');
      await first.scope([orgIds[0] as string], false);
      await writeRollups(first, [], monthRow, []);
      await alongside.query('BEGIN');
      await second.scope([orgIds[0] as string], false);
      // Waits for the first import's row, then adds to it once that commits.
      const secondWrite = writeRollups(second, [], monthRow, []);
      await server.query('COMMIT');
      await secondWrite;
      await alongside.query('COMMIT');
    } finally {
      await alongside.end();
    }
    const month = await everyOrg(() =>
      owner.query('SELECT input_tokens, output_tokens, records FROM usage_months WHERE month = 209912'),
    );
    expect(month.rows).toEqual([{ input_tokens: '20', output_tokens: '40', records: '2' }]);
  });

  it('writes a batch only into the orgs its transaction names', async () => {
    const refs = await server.query<{ name: string; id: string }>(
      "SELECT name, id FROM usage_refs WHERE kind = 'org'",
    );
    const refOf = new Map(refs.rows.map((row) => [row.name, Number(row.id)]));
    const store = createUsageImportPg(server);
    await store.prepare();
    const dayRow = (org: number) => [1, 20_500, 1, org, 0, 0, 10, 20, 0, 0, 0, 0, 1, 1];
    await server.query('BEGIN');
    try {
      await store.scope([orgIds[0] as string], false);
      await expect(
        writeRollups(store, dayRow(refOf.get(orgIds[1] as string) as number), [], []),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await server.query('ROLLBACK');
    }
    await server.query('BEGIN');
    try {
      await store.scope([orgIds[0] as string], false);
      await expect(writeRollups(store, dayRow(0), [], [])).rejects.toThrow(/row-level security/);
      await server.query('ROLLBACK');
      await server.query('BEGIN');
      await store.scope([orgIds[0] as string], false);
      await writeRollups(store, dayRow(refOf.get(orgIds[0] as string) as number), [], []);
    } finally {
      await server.query('ROLLBACK');
    }
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV } from '../../electron/backend/cli/commands/migrate';
import { THIS_PROCESS } from '../../electron/backend/import-job-owner';
import { openDatabase } from '../../electron/backend/store/database';
import { openPostgresConnection } from '../../electron/backend/store/postgres/connection';
import { SQLITE_ONLY_TABLES } from '../../electron/backend/store/postgres/copy-tables';
import {
  migratePostgres,
  postgresSchemaVersion,
  requireKnownPostgresSchema,
} from '../../electron/backend/store/postgres/migrate';
import { POSTGRES_MIGRATIONS } from '../../electron/backend/store/postgres/migrations';
import { grantServerRole } from '../../electron/backend/store/postgres/server-role';
import { createJobsRepo } from '../../electron/backend/store/repos/jobs-repo';
import { runCliIn } from '../fixtures/cli';
import {
  OWNER_ROLE,
  type PostgresCluster,
  SERVER_ROLE,
  SKIP_WITHOUT_POSTGRES,
  startPostgresCluster,
} from '../fixtures/postgres-cluster';
import { ALL_ORGS, ORG_A, seedTwoOrgs } from '../fixtures/postgres-seed';

const LATEST = POSTGRES_MIGRATIONS.length;

/** Everything a migration defines, as text to compare: columns, constraints, indexes, policies, triggers. */
async function schemaOf(client: pg.Client): Promise<string[]> {
  const parts = await client.query<{ line: string }>(`
    SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) AS line
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT format('constraint %s %s', conrelid::regclass, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT format('policy %s %s %s %s %s', tablename, policyname, cmd, qual, with_check)
      FROM pg_policies WHERE schemaname = 'public'
    UNION ALL SELECT format('rls %s %s %s', relname, relrowsecurity, relforcerowsecurity)
      FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
    UNION ALL SELECT format('trigger %s', pg_get_triggerdef(oid)) FROM pg_trigger WHERE NOT tgisinternal`);
  return parts.rows.map((r) => r.line).sort();
}

/** SQLite's storage classes and the PostgreSQL types that hold the same values exactly. */
const SAME_VALUES: Record<string, string[]> = {
  INTEGER: ['bigint', 'integer', 'smallint'],
  TEXT: ['text', 'numeric'],
  BLOB: ['bytea'],
};

/** What PostgreSQL has that SQLite does not, each for a reason docs/postgres.md gives. */
const POSTGRES_ONLY_COLUMNS = [
  'audit_chain_head.id',
  'audit_chain_head.last_hash',
  'audit_chain_head.last_id',
  'billing_revision.attribution_n',
  'knowledge_docs.search',
  'knowledge_shares.doc_org_id',
  'policy_versions.org_id',
  'statement_numbers.last_seq',
  'statement_numbers.year',
  'upload_chunks.data',
  'upload_chunks.start',
  'upload_chunks.upload_id',
  'usage_days.rowid',
];

/** Every table and column of a SQLite store at its newest version, with its declared type. */
function sqliteColumns(): Map<string, string> {
  const db = openDatabase(':memory:');
  try {
    const columns = db
      .prepare<[], { column: string; type: string }>(
        `SELECT t.name || '.' || c.name AS column, c.type FROM sqlite_schema t, pragma_table_info(t.name) c
         WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name NOT LIKE 'knowledge_fts%'`,
      )
      .all();
    // Tables SQLite alone has (the split month's re-sum) have no twin: the copy leaves them out too.
    const twinned = columns.filter(
      ({ column }) => !(column.slice(0, column.indexOf('.')) in SQLITE_ONLY_TABLES),
    );
    return new Map(twinned.map((c) => [c.column, c.type]));
  } finally {
    db.close();
  }
}

async function connected(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function countAs(client: pg.Client, table: string, orgs: string[], mspWide = true): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT set_config('orgdeck.org_ids', $1, true)", [orgs.join(',')]);
    if (mspWide) await client.query("SET LOCAL orgdeck.msp_wide = 'on'");
    return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
  } finally {
    await client.query('ROLLBACK');
  }
}

describe.skipIf(SKIP_WITHOUT_POSTGRES)('PostgreSQL migrations', () => {
  let cluster: PostgresCluster;
  const clients: pg.Client[] = [];
  const open = async (role: string, database: string) => {
    const client = await connected(cluster.url(role, database));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.end();
    cluster?.stop();
  });

  // From the version before, and the one before that: each of the last two migrations meets rows.
  it.each([1, 2])(
    'migrates from empty and from %i versions back to the same schema, keeping the rows',
    async (back) => {
      await cluster.createDatabase(`from_empty_${back}`);
      await cluster.createDatabase(`from_previous_${back}`);
      const fresh = await open(OWNER_ROLE, `from_empty_${back}`);
      expect(await migratePostgres(fresh)).toEqual({ from: 0, to: LATEST });

      const upgraded = await open(OWNER_ROLE, `from_previous_${back}`);
      expect(await migratePostgres(upgraded, POSTGRES_MIGRATIONS, LATEST - back)).toEqual({
        from: 0,
        to: LATEST - back,
      });
      await seedTwoOrgs(upgraded);
      const before = new Map<string, number>();
      for (const table of [
        'orgs',
        'knowledge_docs',
        'usage_months',
        'audit_events',
        'usage_buckets',
        'usage_bucket_versions',
      ]) {
        before.set(table, await countAs(upgraded, table, ALL_ORGS));
      }
      expect(await migratePostgres(upgraded)).toEqual({ from: LATEST - back, to: LATEST });

      expect(await schemaOf(upgraded)).toEqual(await schemaOf(fresh));
      for (const [table, rows] of before) expect(await countAs(upgraded, table, ALL_ORGS), table).toBe(rows);
      // The rows stay behind the policies: a transaction that names no org sees none of them.
      expect(await countAs(upgraded, 'orgs', [], false)).toBe(0);
    },
  );

  it("finds an import's daily rows by its job after migration 12, for rows written before and after it", async () => {
    await cluster.createDatabase('job_index');
    const owner = await open(OWNER_ROLE, 'job_index');
    await migratePostgres(owner, POSTGRES_MIGRATIONS, 11);
    // Days of no org (MSP-wide), two imports interleaved with rows of no import (job 0).
    const addDays = (job: number, days: number) =>
      owner.query(
        `INSERT INTO usage_days (model, day, agent, org, input_tokens, output_tokens, records, job)
         SELECT 1, 20000 + d, 1, 0, 1, 1, 1, $1 FROM generate_series(1, $2) d`,
        [job, days],
      );
    const jobRecords = async (job: number) => {
      await owner.query('BEGIN');
      try {
        await owner.query("SET LOCAL orgdeck.msp_wide = 'on'");
        // As an undo reads them on a large table: through the job's index.
        await owner.query('SET LOCAL enable_seqscan = off');
        const plan = await owner.query('EXPLAIN SELECT sum(records) FROM usage_days WHERE job = $1', [job]);
        const found = await owner.query<{ n: string }>(
          'SELECT sum(records) AS n FROM usage_days WHERE job = $1',
          [job],
        );
        return { records: Number(found.rows[0]?.n ?? 0), plan: JSON.stringify(plan.rows) };
      } finally {
        await owner.query('ROLLBACK');
      }
    };
    await owner.query('BEGIN');
    await owner.query("SET LOCAL orgdeck.msp_wide = 'on'");
    await addDays(1, 3_000);
    await addDays(0, 500);
    await addDays(2, 2_000);
    await owner.query('COMMIT');

    expect(await migratePostgres(owner)).toMatchObject({ from: 11 });
    await owner.query('BEGIN');
    await owner.query("SET LOCAL orgdeck.msp_wide = 'on'");
    await addDays(3, 1_000);
    await owner.query('COMMIT');
    for (const [job, records] of [
      [1, 3_000],
      [2, 2_000],
      [3, 1_000],
      [4, 0],
    ] as const) {
      const found = await jobRecords(job);
      expect(found.records, `job ${job}`).toBe(records);
      expect(found.plan).toContain('usage_days_job');
    }
  });

  it('finds documents written before migration 17 whatever their accents', async () => {
    await cluster.createDatabase('unaccented');
    const owner = await open(OWNER_ROLE, 'unaccented');
    await migratePostgres(owner, POSTGRES_MIGRATIONS, 16);
    await seedTwoOrgs(owner);
    await owner.query('BEGIN');
    await owner.query(`SET LOCAL orgdeck.org_ids = '${ORG_A}'`);
    await owner.query(
      `INSERT INTO knowledge_docs (id, org_id, title, body, size, author_label, created_at, updated_at)
       VALUES ('doc-accents', $1, 'Résumé des procédures', 'Le café ferme à 18 h.', 21, 'owner', $2, $2)`,
      [ORG_A, '2026-10-01T00:00:00.000Z'],
    );
    await owner.query('COMMIT');
    const found = async (config: string, query: string) => {
      await owner.query('BEGIN');
      try {
        await owner.query(`SET LOCAL orgdeck.org_ids = '${ORG_A}'`);
        const rows = await owner.query<{ id: string }>(
          'SELECT id FROM knowledge_docs WHERE search @@ to_tsquery($1::regconfig, $2)',
          [config, query],
        );
        return rows.rows.map((row) => row.id);
      } finally {
        await owner.query('ROLLBACK');
      }
    };
    expect(await found('simple', 'resume:* & cafe:*')).toEqual([]);
    expect(await migratePostgres(owner)).toMatchObject({ from: 16 });
    expect(await found('orgdeck_search', 'resume:* & cafe:*')).toEqual(['doc-accents']);
    expect(await found('orgdeck_search', 'résumé:*')).toEqual(['doc-accents']);
  });

  it('takes jobs running before migration 18 for cut off, the servers that ran them stopped to migrate', async () => {
    await cluster.createDatabase('job_hosts');
    const owner = await open(OWNER_ROLE, 'job_hosts');
    await migratePostgres(owner, POSTGRES_MIGRATIONS, 17);
    for (const [id, status] of [
      ['running-job', 'running'],
      ['done-job', 'done'],
    ])
      await owner.query(
        `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, pid, started_at)
         VALUES ($1, 'usage', 'old.csv', $2, 10, 'someone', 1, '2026-10-01T00:00:00.000Z')`,
        [id, status],
      );
    expect(await migratePostgres(owner)).toMatchObject({ from: 17 });
    const jobs = async () => (await owner.query('SELECT id, status, host FROM import_jobs ORDER BY id')).rows;
    expect(await jobs()).toEqual([
      { id: 'done-job', status: 'done', host: '' },
      { id: 'running-job', status: 'running', host: 'a server before version 18' },
    ]);
    // Another machine's job, never heard from: a server interrupts it at its first look, where its
    // pid (1, alive in every container) would have kept it running.
    const db = openPostgresConnection(cluster.url(OWNER_ROLE, 'job_hosts'));
    try {
      const at = '2026-12-01T00:00:00.000Z';
      createJobsRepo(db).interruptOrphans(THIS_PROCESS, at, at, () => true);
    } finally {
      db.close();
    }
    expect(await jobs()).toEqual([
      { id: 'done-job', status: 'done', host: '' },
      { id: 'running-job', status: 'interrupted', host: 'a server before version 18' },
    ]);
  });

  it('counts the changes an import places rows by apart from migration 19 on, keeping the revision', async () => {
    await cluster.createDatabase('attribution_revision');
    const owner = await open(OWNER_ROLE, 'attribution_revision');
    await migratePostgres(owner, POSTGRES_MIGRATIONS, 18);
    await owner.query('UPDATE billing_revision SET n = 41');
    expect(await migratePostgres(owner)).toMatchObject({ from: 18 });
    const revision = async () =>
      (await owner.query('SELECT n::int, attribution_n::int AS attribution FROM billing_revision')).rows[0];
    expect(await revision()).toEqual({ n: 41, attribution: 0 });
    await owner.query(
      `INSERT INTO model_prices (model, effective_from, input_pico, output_pico, created_at)
       VALUES ('gpt-test', '2026-01-01', 1000000, 2000000, '2026-01-01T00:00:00.000Z')`,
    );
    expect(await revision()).toEqual({ n: 42, attribution: 1 });
    // An org moves what reports show, not where an import puts a row.
    await owner.query("SELECT set_config('orgdeck.org_ids', 'org-a', false)");
    await owner.query(
      `INSERT INTO orgs (id, name, slug, created_at, updated_at)
       VALUES ('org-a', 'Acme', 'acme', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    expect(await revision()).toEqual({ n: 43, attribution: 1 });
    // An agent's handle and stays, and a price's rates, move both; its name only the revision.
    await owner.query(
      `INSERT INTO agents (id, handle, name, org_id, created_at, updated_at)
       VALUES ('agent-a', 'ann', 'Ann', 'org-a', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    expect(await revision()).toEqual({ n: 44, attribution: 2 });
    await owner.query("UPDATE agents SET name = 'Ann B.' WHERE id = 'agent-a'");
    expect(await revision()).toEqual({ n: 45, attribution: 2 });
    await owner.query("UPDATE agents SET handle = 'ann-b' WHERE id = 'agent-a'");
    expect(await revision()).toEqual({ n: 46, attribution: 3 });
    await owner.query(
      `INSERT INTO agent_assignments (agent_id, org_id, from_at) VALUES ('agent-a', 'org-a', '2026-01-01T00:00:00.000Z')`,
    );
    expect(await revision()).toEqual({ n: 47, attribution: 4 });
    await owner.query(
      `INSERT INTO model_price_rates (price, category, tier, above, pico)
       SELECT id, 'cache_read', 'standard', 0, 100000 FROM model_prices`,
    );
    expect(await revision()).toEqual({ n: 48, attribution: 5 });
  });

  it('has every table and column of the newest SQLite store, holding the same values', async () => {
    await cluster.createDatabase('parity');
    const owner = await open(OWNER_ROLE, 'parity');
    await migratePostgres(owner);
    const found = await owner.query<{ column: string; type: string }>(
      `SELECT table_name || '.' || column_name AS column, data_type AS type FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'orgdeck_schema'`,
    );
    const postgres = new Map(found.rows.map((c) => [c.column, c.type]));
    const sqlite = sqliteColumns();
    // FTS5's virtual table becomes knowledge_docs.search; every other SQLite column has a twin.
    expect([...sqlite.keys()].filter((column) => !postgres.has(column))).toEqual([]);
    expect([...postgres.keys()].filter((column) => !sqlite.has(column)).sort()).toEqual(
      POSTGRES_ONLY_COLUMNS,
    );
    for (const [column, type] of sqlite) {
      expect(SAME_VALUES[type], `${column} ${type}`).toContain(postgres.get(column));
    }
  });

  it('runs again as a no-op, and refuses a database a newer Orgdeck migrated', async () => {
    await cluster.createDatabase('again');
    const owner = await open(OWNER_ROLE, 'again');
    await migratePostgres(owner);
    expect(await migratePostgres(owner)).toEqual({ from: LATEST, to: LATEST });
    await owner.query('UPDATE orgdeck_schema SET version = $1', [LATEST + 1]);
    await expect(migratePostgres(owner)).rejects.toThrow(`newer Orgdeck (schema version ${LATEST + 1})`);
    expect(await postgresSchemaVersion(owner)).toBe(LATEST + 1);
  });

  it('leaves the previous version whole when a migration fails, and migrates once when two run at once', async () => {
    await cluster.createDatabase('failing');
    const owner = await open(OWNER_ROLE, 'failing');
    await migratePostgres(owner, POSTGRES_MIGRATIONS, LATEST - 1);
    const policies = async () => (await owner.query('SELECT 1 FROM pg_policies')).rowCount;
    const policiesBefore = await policies();
    const broken = { version: LATEST + 1, name: 'Broken', sql: 'CREATE TABLE half_done (id int); SELEC 1' };
    await expect(migratePostgres(owner, [...POSTGRES_MIGRATIONS, broken])).rejects.toThrow(/syntax error/);
    expect(await postgresSchemaVersion(owner)).toBe(LATEST - 1);
    const leftovers = await owner.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    expect(leftovers.rowCount).toBe(0);
    expect(await policies()).toBe(policiesBefore);

    const other = await open(OWNER_ROLE, 'failing');
    const both = await Promise.all([migratePostgres(owner), migratePostgres(other)]);
    expect(both.map((run) => run.to)).toEqual([LATEST, LATEST]);
    expect(both.filter((run) => run.from === LATEST - 1)).toHaveLength(1);
  });

  it('lets serve open only a database at exactly its version', async () => {
    await cluster.createDatabase('versions');
    const owner = await open(OWNER_ROLE, 'versions');
    await expect(requireKnownPostgresSchema(owner)).rejects.toThrow(/schema version 0.*orgdeck migrate/);
    await migratePostgres(owner, POSTGRES_MIGRATIONS, LATEST - 1);
    await expect(requireKnownPostgresSchema(owner)).rejects.toThrow(
      new RegExp(`schema version ${LATEST - 1}.*orgdeck migrate`),
    );
    await migratePostgres(owner);
    await grantServerRole(owner, SERVER_ROLE);
    // The server role reads the version it is refused or accepted by.
    await expect(requireKnownPostgresSchema(await open(SERVER_ROLE, 'versions'))).resolves.toBeUndefined();
    await owner.query('UPDATE orgdeck_schema SET version = $1', [LATEST + 1]);
    await expect(requireKnownPostgresSchema(owner)).rejects.toThrow(/newer Orgdeck/);
  });

  describe('orgdeck migrate', () => {
    const dataDir = '/nonexistent/orgdeck-migrate-opens-no-data-dir';

    it('migrates the database named by --database and grants the server role', async () => {
      await cluster.createDatabase('cli');
      const url = cluster.url(OWNER_ROLE, 'cli');
      const first = await runCliIn(dataDir, ['migrate', '--database', url]);
      expect(first).toMatchObject({ code: 0, err: '' });
      expect(first.out).toBe(
        `Migrated the schema from version 0 to ${LATEST}; ${SERVER_ROLE} has its grants.`,
      );
      const again = await runCliIn(dataDir, ['migrate', '--database', url, '--json']);
      expect(JSON.parse(again.out)).toEqual({ from: LATEST, to: LATEST, serverRole: SERVER_ROLE });
      const server = await open(SERVER_ROLE, 'cli');
      expect(await countAs(server, 'orgs', ALL_ORGS)).toBe(0);
    });

    it(`reads the database from ${DATABASE_ENV} when --database is not given`, async () => {
      await cluster.createDatabase('cli_env');
      process.env[DATABASE_ENV] = cluster.url(OWNER_ROLE, 'cli_env');
      try {
        const result = await runCliIn(dataDir, ['migrate']);
        expect(result).toMatchObject({ code: 0, err: '' });
      } finally {
        delete process.env[DATABASE_ENV];
      }
      expect(await postgresSchemaVersion(await open(OWNER_ROLE, 'cli_env'))).toBe(LATEST);
    });

    it('refuses a server role row-level security would not hold for, and a missing database URL', async () => {
      await cluster.createDatabase('cli_roles');
      const url = cluster.url(OWNER_ROLE, 'cli_roles');
      const superuser = await runCliIn(dataDir, ['migrate', '--database', url, '--server-role', 'postgres']);
      expect(superuser).toMatchObject({ code: 1 });
      expect(superuser.err).toMatch(/^error: CONFLICT: The server role postgres is a superuser/);
      const itself = await runCliIn(dataDir, ['migrate', '--database', url, '--server-role', OWNER_ROLE]);
      expect(itself.err).toMatch(
        /^error: CONFLICT: The server role orgdeck_owner is the role running the migrations/,
      );
      const absent = await runCliIn(dataDir, ['migrate', '--database', url, '--server-role', 'nobody']);
      expect(absent.err).toMatch(/^error: CONFLICT: The server role nobody does not exist\. Create it/);
      const missing = await runCliIn(dataDir, ['migrate']);
      expect(missing).toMatchObject({ code: 2 });
      expect(missing.err).toMatch(/Name the database with --database/);
    });

    it('refuses to migrate as the server role, which may create nothing', async () => {
      await cluster.createDatabase('cli_as_server');
      const result = await runCliIn(dataDir, [
        'migrate',
        '--database',
        cluster.url(SERVER_ROLE, 'cli_as_server'),
      ]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/permission denied for schema public/);
      expect(await postgresSchemaVersion(await open(OWNER_ROLE, 'cli_as_server'))).toBe(0);
    });
  });
});

// Issue 19, item 7: `orgdeck store copy` moves a self-hosted SQLite store onto PostgreSQL, every
// table with its ids, and commits only once the row counts and the audit chain verify.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import { type ChainedAuditEntry, firstBrokenAuditLink } from '../../electron/backend/store/audit-chain';
import { copySqliteStoreToPostgres } from '../../electron/backend/store/postgres/copy-from-sqlite';
import { SQLITE_ONLY_TABLES } from '../../electron/backend/store/postgres/copy-tables';
import { migratePostgresDatabase } from '../../electron/backend/store/postgres/migrate';
import { OWNER } from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  openBillingWorld,
  setPrice,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import {
  OWNER_ROLE,
  type PostgresCluster,
  SERVER_ROLE,
  SKIP_WITHOUT_POSTGRES,
  startPostgresCluster,
} from '../fixtures/postgres-cluster';

/** Rows PostgreSQL's migrations write themselves, not the copy. */
/**
 * PostgreSQL's own tables: its schema version, the counters the copy derives from copied rows, and
 * unfinished uploads' bytes (beside a SQLite store they are files, left behind).
 */
const NOT_COPIED = new Set(['orgdeck_schema', 'audit_chain_head', 'statement_numbers', 'upload_chunks']);

/** A store used the way an MSP does: orgs, agents, users, usage, knowledge, policies, statements. */
async function seedStore(world: BillingWorld): Promise<void> {
  await world.call('setup.init', OWNER);
  const acme = await createOrg(world, 'Acme', '100.00');
  const globex = await createOrg(world, 'Globex', '80.00');
  for (const org of [acme, globex]) {
    const agent = await createAgent(world, `${org.slug}-bot`);
    await assign(world, agent.id, org.id, '2026-01-01T00:00:00Z');
    await world.call('users.create', {
      email: `staff@${org.slug}.test`,
      name: `Staff ${org.name}`,
      role: 'user',
      boundOrgId: org.id,
      pages: ['agents'],
      password: OWNER.password,
    });
    await world.call('policies.create', {
      orgId: org.id,
      name: 'No politics',
      config: { kind: 'topic_block', topics: ['politics'] },
    });
  }
  await createAgent(world, 'loose-bot');
  await setPrice(world, 'gpt-4o', '2.50', '10.00', '2025-01-01');
  const records = ['acme-bot', 'globex-bot', 'loose-bot'].flatMap((agent) =>
    ['2026-01-05', '2026-01-20', '2026-02-03'].map((day) => ({
      timestamp: `${day}T10:00:00Z`,
      agent,
      model: 'gpt-4o',
      input_tokens: 1_000,
      output_tokens: 500,
    })),
  );
  await world.importText('usage.csv', csvOf(records));
  const msp = (await world.call('orgs.list', {})).find((org) => org.isOwner);
  await world.call('knowledge.add', { orgId: acme.id, title: 'Acme notes', body: 'Acme only.' });
  const runbook = await world.call('knowledge.add', {
    orgId: msp?.id,
    title: 'Gateway runbook',
    body: 'Restart the gateway, then check the queue — “quoted”, ünïcode and a\ttab.',
  });
  await world.call('knowledge.share', { id: runbook.id, orgs: [globex.id] });
  world.clock.set('2026-03-02T08:00:00Z');
  await world.call('statements.close', { month: '2026-01' });
  // A voided statement and its credit note name each other; the month is then issued again.
  const [first] = (await world.call('statements.close', { month: '2026-02' })).issued;
  await world.call('statements.void', { number: first?.number, reason: 'Wrong contact' });
  await world.call('statements.close', { month: '2026-02', org: first?.org.id });
}

function sqliteTables(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const names = db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knowledge_fts%'",
      )
      .pluck()
      .all()
      .filter((name) => !(name in SQLITE_ONLY_TABLES));
    return new Map(
      names.map((name) => [name, Number(db.prepare(`SELECT count(*) FROM ${name}`).pluck().get())]),
    );
  } finally {
    db.close();
  }
}

describe.skipIf(SKIP_WITHOUT_POSTGRES)('orgdeck store copy, SQLite to PostgreSQL', () => {
  let cluster: PostgresCluster;
  let world: BillingWorld;
  /** A superuser, which row-level security does not bind: it sees what the copy really wrote. */
  let admin: pg.Client;

  const copy = (database: string, dataDir = world.dataDir) =>
    runCliIn(dataDir, [
      'store',
      'copy',
      '--from-data-dir',
      dataDir,
      '--to',
      cluster.url(OWNER_ROLE, database),
      '--json',
    ]);

  async function migratedDatabase(name: string): Promise<void> {
    await cluster.createDatabase(name);
    await migratePostgresDatabase(cluster.url(OWNER_ROLE, name), SERVER_ROLE);
  }

  async function connect(database: string): Promise<pg.Client> {
    await admin?.end();
    admin = new pg.Client({ connectionString: cluster.url('postgres', database) });
    await admin.connect();
    return admin;
  }

  /** Every table's row count on PostgreSQL, read past row-level security. */
  async function postgresCounts(database: string): Promise<Map<string, number>> {
    const client = await connect(database);
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
    );
    const counts = new Map<string, number>();
    for (const { name } of tables.rows.filter((t) => !NOT_COPIED.has(t.name))) {
      const found = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
      counts.set(name, Number(found.rows[0]?.n));
    }
    return counts;
  }

  /** Tables holding rows other than the one PostgreSQL's migrations seed (billing_revision). */
  async function tablesWithRows(database: string): Promise<string[]> {
    const counts = await postgresCounts(database);
    return [...counts.entries()]
      .filter(([table, n]) => n > 0 && table !== 'billing_revision')
      .map(([t]) => t);
  }

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    world = openBillingWorld('2026-01-01T00:00:00Z');
    await seedStore(world);
  }, 120_000);

  afterAll(async () => {
    await admin?.end();
    world?.cleanup();
    cluster?.stop();
  });

  it('copies every table with its ids, moves the sequences past them, and verifies counts and the chain', async () => {
    await migratedDatabase('copied');
    const result = await copy('copied');
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out) as {
      rows: number;
      skipped: string[];
      verified: { auditEntries: number; auditChainIntact: boolean };
    };
    expect(report.skipped).toEqual(
      expect.arrayContaining(['knowledge_fts', 'knowledge_fts_data', 'uploads']),
    );
    expect(result.err).toMatch(/^audit_events: \d+ rows$/m);

    const onSqlite = sqliteTables(world.dataDir);
    const onPostgres = await postgresCounts('copied');
    // The seed reaches every kind of row a store holds, so every table's copy is exercised.
    for (const table of ['usage_days', 'usage_months', 'knowledge_shares', 'statements', 'policy_versions'])
      expect(onSqlite.get(table), table).toBeGreaterThan(0);
    expect(onPostgres).toEqual(onSqlite);
    expect(report.rows).toBe([...onSqlite.values()].reduce((sum, n) => sum + n, 0));

    const source = new Database(join(world.dataDir, DATABASE_FILE), { readonly: true });
    const sqliteAudit = source.prepare<[], ChainedAuditEntry>('SELECT * FROM audit_events ORDER BY id').all();
    const sqliteDays = source.prepare('SELECT rowid, * FROM usage_days ORDER BY rowid').all();
    const voided = source.prepare('SELECT id, voided_by FROM statements WHERE voided_by IS NOT NULL').all();
    const revision = source.prepare('SELECT n FROM billing_revision').pluck().get();
    source.close();
    const client = await connect('copied');
    const audit = (await client.query('SELECT * FROM audit_events ORDER BY id')).rows.map((row) => ({
      ...row,
      id: Number(row.id),
    })) as ChainedAuditEntry[];
    expect(audit).toEqual(sqliteAudit);
    expect(firstBrokenAuditLink(audit)).toBeUndefined();
    expect(report.verified).toEqual({
      rowCounts: true,
      auditEntries: sqliteAudit.length,
      auditChainIntact: true,
    });
    const days = (await client.query('SELECT * FROM usage_days ORDER BY rowid')).rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])),
    );
    expect(days).toEqual(sqliteDays);
    expect(voided).toHaveLength(1);
    expect(
      (await client.query('SELECT id, voided_by FROM statements WHERE voided_by IS NOT NULL')).rows,
    ).toEqual(voided);
    const shares = await client.query(
      'SELECT s.doc_org_id = d.org_id AS of_its_document FROM knowledge_shares s JOIN knowledge_docs d ON d.id = s.doc_id',
    );
    expect(shares.rows).toEqual([{ of_its_document: true }]);
    expect((await client.query('SELECT n FROM billing_revision')).rows).toEqual([{ n: String(revision) }]);
    // New rows on PostgreSQL take ids after the copied ones.
    await client.query('BEGIN');
    const next = await client.query<{ id: string }>(
      `INSERT INTO audit_events (at, actor_label, action, target_type, target_id, summary)
       VALUES ('2026-03-03T00:00:00.000Z', 'x', 'settings.updated', 'settings', 'msp', '{}') RETURNING id`,
    );
    await client.query('ROLLBACK');
    expect(Number(next.rows[0]?.id)).toBe(sqliteAudit.length + 1);
    // A server on the copy chains its next entry to the last copied one, and numbers statements on.
    const head = await client.query('SELECT last_id, last_hash FROM audit_chain_head');
    expect(head.rows).toEqual([{ last_id: String(sqliteAudit.length), last_hash: sqliteAudit.at(-1)?.hash }]);
    const numbers = await client.query('SELECT year, last_seq FROM statement_numbers');
    expect(numbers.rows.length).toBeGreaterThan(0);
    // The deferred keys the copy used are back as the schema declares them.
    const deferrable = await client.query(
      "SELECT conname FROM pg_constraint WHERE condeferrable AND contype = 'f'",
    );
    expect(deferrable.rows).toEqual([]);
  });

  it('copies rows that name each other across batches (a voided statement and its credit note)', async () => {
    await migratedDatabase('onebyone');
    const report = await copySqliteStoreToPostgres({
      sqliteFile: join(world.dataDir, DATABASE_FILE),
      postgresUrl: cluster.url(OWNER_ROLE, 'onebyone'),
      batchRows: 1,
    });
    expect(report.verified.rowCounts).toBe(true);
    expect(await postgresCounts('onebyone')).toEqual(sqliteTables(world.dataDir));
  });

  it('refuses to copy into a store that already holds rows, and changes nothing', async () => {
    const before = await postgresCounts('copied');
    const result = await copy('copied');
    expect(result.code).toBe(1);
    expect(result.err).toContain('never merges');
    expect(await postgresCounts('copied')).toEqual(before);
  });

  it('refuses a database that is not migrated, and says how to migrate it', async () => {
    await cluster.createDatabase('bare');
    const result = await copy('bare');
    expect(result.code).toBe(1);
    expect(result.err).toContain('orgdeck migrate --database URL');
  });

  it('refuses to copy as the role serve connects as, which owns nothing', async () => {
    await migratedDatabase('asserver');
    const dataDir = world.dataDir;
    const result = await runCliIn(dataDir, [
      'store',
      'copy',
      '--from-data-dir',
      dataDir,
      '--to',
      cluster.url(SERVER_ROLE, 'asserver'),
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('Copy as the owner role');
    expect(await tablesWithRows('asserver')).toEqual([]);
  });

  it('refuses a store whose re-pricing is still summing a month again, before touching the target', async () => {
    await migratedDatabase('resumming');
    const db = new Database(join(world.dataDir, DATABASE_FILE));
    db.prepare(
      'INSERT INTO usage_month_resums (model, month, next_day, last_row) VALUES (1, 202512, 20423, 0)',
    ).run();
    db.close();
    try {
      const result = await copy('resumming');
      expect(result.code).toBe(1);
      expect(result.err).toContain('still summing a month again');
      expect(await tablesWithRows('resumming')).toEqual([]);
    } finally {
      const cleanup = new Database(join(world.dataDir, DATABASE_FILE));
      cleanup.exec('DELETE FROM usage_month_resums');
      cleanup.close();
    }
  });

  it('refuses a store holding a table it does not know how to copy, before touching the target', async () => {
    await migratedDatabase('unknown');
    const db = new Database(join(world.dataDir, DATABASE_FILE));
    db.exec('CREATE TABLE client_notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
    try {
      const result = await copy('unknown');
      expect(result.code).toBe(1);
      expect(result.err).toContain('does not know how to copy: client_notes');
      expect(await tablesWithRows('unknown')).toEqual([]);
    } finally {
      const cleanup = new Database(join(world.dataDir, DATABASE_FILE));
      cleanup.exec('DROP TABLE client_notes');
      cleanup.close();
    }
  });

  it('rolls back a copy that fails halfway, leaving the target empty', async () => {
    await migratedDatabase('halfway');
    // A share of a document that is gone: PostgreSQL cannot name its document's org.
    const db = new Database(join(world.dataDir, DATABASE_FILE));
    db.pragma('foreign_keys = OFF');
    const share = db.prepare('SELECT doc_id, org_id FROM knowledge_shares').get() as {
      doc_id: string;
      org_id: string;
    };
    db.prepare("UPDATE knowledge_shares SET doc_id = 'gone' WHERE doc_id = ?").run(share.doc_id);
    db.close();
    try {
      const result = await copy('halfway');
      expect(result.code).toBe(1);
      expect(result.err).toContain('rolled back');
      expect(await tablesWithRows('halfway')).toEqual([]);
    } finally {
      const undo = new Database(join(world.dataDir, DATABASE_FILE));
      undo.prepare("UPDATE knowledge_shares SET doc_id = ? WHERE doc_id = 'gone'").run(share.doc_id);
      undo.close();
    }
  });
});

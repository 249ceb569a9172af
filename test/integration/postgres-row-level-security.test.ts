import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresDatabase } from '../../electron/backend/store/postgres/migrate';
import {
  OWNER_ROLE,
  type PostgresCluster,
  SERVER_ROLE,
  SKIP_WITHOUT_POSTGRES,
  startPostgresCluster,
} from '../fixtures/postgres-cluster';
import { ALL_ORGS, ORG_A, ORG_B, ORG_C, ORG_OF_ROW, seedTwoOrgs } from '../fixtures/postgres-seed';

const TENANT_TABLES = Object.keys(ORG_OF_ROW).sort();

/** Runs `work` in one transaction that names `orgs` (none: the setting is never made), then rolls back. */
async function asOrgs<T>(
  client: pg.Client,
  orgs: string[] | undefined,
  work: () => Promise<T>,
  mspWide = false,
): Promise<T> {
  await client.query('BEGIN');
  try {
    if (orgs) await client.query("SELECT set_config('orgdeck.org_ids', $1, true)", [orgs.join(',')]);
    if (mspWide) await client.query("SET LOCAL orgdeck.msp_wide = 'on'");
    return await work();
  } finally {
    await client.query('ROLLBACK');
  }
}

async function rowsOf(client: pg.Client, table: string, where = 'true'): Promise<string[]> {
  const result = await client.query<{ row: string }>(
    `SELECT to_jsonb(t)::text AS row FROM ${table} t WHERE ${where}`,
  );
  return result.rows.map((r) => r.row).sort();
}

/** What could err: code and message of a refused statement. */
async function refusal(client: pg.Client, sql: string, params: unknown[] = []): Promise<string> {
  await client.query('SAVEPOINT attempt');
  try {
    await client.query(sql, params);
    return 'accepted';
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return `${code}: ${message}`;
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT attempt');
  }
}

describe.skipIf(SKIP_WITHOUT_POSTGRES)('PostgreSQL row-level security, as the role serve connects as', () => {
  let cluster: PostgresCluster;
  let owner: pg.Client;
  let server: pg.Client;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.createDatabase('rls');
    await migratePostgresDatabase(cluster.url(OWNER_ROLE, 'rls'), SERVER_ROLE);
    owner = new pg.Client({ connectionString: cluster.url(OWNER_ROLE, 'rls') });
    server = new pg.Client({ connectionString: cluster.url(SERVER_ROLE, 'rls') });
    await owner.connect();
    await server.connect();
    await seedTwoOrgs(owner);
  }, 60_000);

  afterAll(async () => {
    await owner?.end();
    await server?.end();
    cluster?.stop();
  });

  it('forces row-level security on exactly the tables that hold org rows', async () => {
    const forced = await owner.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class
       WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity`,
    );
    expect(forced.rows.map((r) => r.name).sort()).toEqual(TENANT_TABLES);
    // Any table with an org column is among them (a new one without a policy fails here).
    const withOrgColumn = await owner.query<{ name: string }>(
      `SELECT DISTINCT table_name AS name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name IN ('org_id', 'org', 'doc_org_id', 'agent_id')`,
    );
    for (const { name } of withOrgColumn.rows) expect(TENANT_TABLES).toContain(name);
  });

  it('seeds rows of both orgs in every tenant table, so what follows can fail', async () => {
    for (const table of TENANT_TABLES) {
      await asOrgs(owner, ALL_ORGS, async () => {
        for (const org of [ORG_A, ORG_B]) {
          const rows = await rowsOf(owner, table, `${ORG_OF_ROW[table]} = '${org}'`);
          expect(rows.length, `${table} rows of ${org}`).toBeGreaterThan(0);
        }
      });
    }
  });

  it('sees no tenant row when the transaction names no org, or names none', async () => {
    for (const table of TENANT_TABLES) {
      expect(await asOrgs(server, undefined, () => rowsOf(server, table)), table).toEqual([]);
      expect(await asOrgs(server, [], () => rowsOf(server, table)), table).toEqual([]);
    }
  });

  it("sees only org A's rows with org A set", async () => {
    for (const table of TENANT_TABLES) {
      const expected = await asOrgs(
        owner,
        ALL_ORGS,
        () => rowsOf(owner, table, `${ORG_OF_ROW[table]} = '${ORG_A}'`),
        true,
      );
      const seen = await asOrgs(server, [ORG_A], () => rowsOf(server, table));
      expect(seen, table).toEqual(expected);
    }
  });

  it('refuses to write a row of org B while org A is set, and any row when no org is set', async () => {
    for (const table of TENANT_TABLES) {
      const [rowOfB] = await asOrgs(owner, ALL_ORGS, () =>
        rowsOf(owner, table, `${ORG_OF_ROW[table]} = '${ORG_B}'`),
      );
      const columns = await owner.query<{ name: string }>(
        `SELECT quote_ident(attname) AS name FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
        [table],
      );
      const list = columns.rows.map((c) => c.name).join(', ');
      const insert = `INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_record(NULL::${table}, $1::jsonb)`;
      for (const orgs of [[ORG_A], undefined]) {
        const outcome = await asOrgs(server, orgs, () => refusal(server, insert, [rowOfB]));
        expect(outcome, `${table} as ${orgs ?? 'no org'}`).toMatch(
          /^42501: new row violates row-level security policy/,
        );
      }
    }
  });

  it('writes rows of the org it names, ids drawn from their sequences', async () => {
    const written = await asOrgs(server, [ORG_A], async () => {
      const period = await server.query(
        "INSERT INTO org_inactive_periods (org_id, from_at) VALUES ($1, '2026-04-01T00:00:00.000Z') RETURNING id",
        [ORG_A],
      );
      const event = await server.query(
        `INSERT INTO audit_events (at, actor_label, org_id, action, target_type, target_id, summary)
         VALUES ('2026-04-01T00:00:00.000Z', 'Ann', $1, 'org.updated', 'org', $1, '{}') RETURNING id`,
        [ORG_A],
      );
      return [period.rowCount, event.rowCount];
    });
    expect(written).toEqual([1, 1]);
  });

  it('changes no row of org B through an update or delete while org A is set', async () => {
    const touched = await asOrgs(server, [ORG_A], async () => {
      const updated = await server.query("UPDATE orgs SET name = 'Renamed'");
      const deleted = await server.query('DELETE FROM org_terms');
      return [updated.rowCount, deleted.rowCount];
    });
    expect(touched).toEqual([1, 1]);
    const namesOfB = await asOrgs(owner, [ORG_B], () => rowsOf(owner, 'orgs'));
    expect(namesOfB.join()).toContain('Org org-b');
  });

  it('reaches rows of no org only when the transaction sees every org (msp_wide)', async () => {
    const count = (mspWide: boolean) =>
      asOrgs(
        server,
        ALL_ORGS,
        async () =>
          (await server.query<{ n: string }>('SELECT count(*) AS n FROM agents WHERE org_id IS NULL')).rows[0]
            ?.n,
        mspWide,
      );
    expect(await count(false)).toBe('0');
    expect(await count(true)).toBe('1');
  });

  it('shows a shared document to the org it is shared with, which still cannot change it', async () => {
    const outcome = await asOrgs(server, [ORG_C], async () => {
      const titles = (
        await server.query<{ title: string }>('SELECT title FROM knowledge_docs ORDER BY title')
      ).rows;
      const updated = await server.query("UPDATE knowledge_docs SET title = 'Mine now'");
      const unshared = await server.query('DELETE FROM knowledge_shares');
      return { titles: titles.map((t) => t.title), updated: updated.rowCount, unshared: unshared.rowCount };
    });
    expect(outcome).toEqual({
      titles: [`Runbook of ${ORG_A}`, `Runbook of ${ORG_B}`],
      updated: 0,
      unshared: 0,
    });
  });

  it('searches knowledge by full text among the documents it may read only', async () => {
    const search = (orgs: string[]) =>
      asOrgs(server, orgs, async () => {
        const hits = await server.query<{ id: string; title: string }>(
          `SELECT id, ts_headline('simple', title, q, 'StartSel=<,StopSel=>') AS title
           FROM knowledge_docs, websearch_to_tsquery('simple', 'runbook gateway') q
           WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id`,
        );
        return hits.rows;
      });
    expect(await search([ORG_A])).toEqual([{ id: `doc-${ORG_A}`, title: `<Runbook> of ${ORG_A}` }]);
    expect((await search([ORG_C])).map((hit) => hit.id)).toEqual([`doc-${ORG_A}`, `doc-${ORG_B}`]);
    expect(await search([])).toEqual([]);
  });

  it('gives the server role no way around the policies', async () => {
    const role = await owner.query<{ rolsuper: boolean; rolbypassrls: boolean; owns: string }>(
      `SELECT rolsuper, rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owns
       FROM pg_roles r WHERE rolname = $1`,
      [SERVER_ROLE],
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owns: '0' });
    await asOrgs(server, [ORG_A], async () => {
      expect(await refusal(server, 'ALTER TABLE orgs NO FORCE ROW LEVEL SECURITY')).toMatch(
        /^42501: must be owner/,
      );
      expect(await refusal(server, 'SET LOCAL row_security = off; SELECT * FROM orgs')).toMatch(
        /^42501: query would be affected by row-level security policy/,
      );
      // The audit trail is append-only and issued statements change only by being voided.
      expect(await refusal(server, 'DELETE FROM audit_events')).toMatch(/^42501: permission denied/);
      expect(await refusal(server, 'UPDATE statements SET total_micros = 0')).toMatch(
        /^42501: permission denied/,
      );
      // Nor the months an org's former install closed, which keep it from being billed twice.
      expect(await refusal(server, 'DELETE FROM months_closed_at_source')).toMatch(
        /^42501: permission denied/,
      );
    });
    // They go with their org all the same, by the foreign key's cascade (run as the table's owner).
    await asOrgs(server, ['org-moved'], async () => {
      await server.query(`
        INSERT INTO orgs (id, slug, name, created_at, updated_at)
          VALUES ('org-moved', 'moved', 'Moved', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z');
        INSERT INTO months_closed_at_source (org_id, month, closed_at, statement_number)
          VALUES ('org-moved', '2026-01', '2026-02-01T10:00:00.000Z', 'ST-2026-0001');
        DELETE FROM orgs WHERE id = 'org-moved'`);
      expect((await server.query('SELECT count(*)::int AS n FROM months_closed_at_source')).rows[0]?.n).toBe(
        0,
      );
    });
  });
});

import type pg from 'pg';
import { HANDLE_ALIAS } from '../../../../shared/domain/usage-identity';
import { isDeadlock, isLockTimeout, isUniqueViolation } from '../engine-errors';
import { JOB_NO_LONGER_RUNNING, type JobProgress } from '../repos/jobs-repo';
import { addTokenSums, MONTH_KEY, ORG_MONTH_KEY, TOKEN_SUM_COLUMNS } from '../repos/usage-import-repo';
import type { RefKind } from '../repos/usage-refs';
import { binaryBigintRows, binaryBigintValues, copyBinaryInto } from './pg-copy';

/** Code of the error a batch throws when what it placed its rows by changed before it committed. */
const ATTRIBUTION_MOVED = 'ATTRIBUTION_MOVED';
const attributionMoved = () =>
  Object.assign(new Error('An agent, stay or price changed while the batch was written.'), {
    code: ATTRIBUTION_MOVED,
  });
/**
 * Code of the error a batch throws stepping back from its bump for a write that holds the revision
 * lock: longer than LOCK_WAIT, or waiting for this batch.
 */
const REVISION_LOCK_HELD = 'REVISION_LOCK_HELD';
/**
 * How long a batch's bump waits for the revision lock: a write holding it (a rewrite step) ends in
 * tens of ms, and far below the server's deadlock check (deadlock_timeout, 1 s by default; keep it
 * above this), so a holder that starts waiting for this batch's rows meanwhile is never the one
 * the server cancels.
 */
const LOCK_WAIT = '250ms';
/**
 * The bump, unless a write holding the revision lock (a price change, a relabel or undo step, an
 * org's purge) already waits for rows this batch merged, itself or behind another session that
 * waits for them: waiting for it then would be a deadlock, so the batch updates nothing and steps
 * back. The holders are the sessions whose transaction locked billing_revision for writing (their
 * table-level lock lasts as long), in this database; who waits for whom is read once (pg_locks).
 */
const BUMP_OUT_OF_WRITERS_WAY = `
  WITH RECURSIVE waits AS MATERIALIZED (
    SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_locks WHERE NOT granted
  ), behind (pid) AS (
    SELECT pid FROM waits WHERE pg_backend_pid() = ANY (blockers)
    UNION SELECT waits.pid FROM waits JOIN behind ON behind.pid = ANY (waits.blockers)
  )
  UPDATE billing_revision SET n = n + 1
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_locks held JOIN behind ON behind.pid = held.pid
    WHERE held.granted AND held.relation = 'billing_revision'::regclass
      AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND held.mode IN ('RowShareLock', 'RowExclusiveLock'))
  RETURNING n, attribution_n`;

/**
 * Why a batch's transaction failed, when writing it again from its start ends it: `stale`, what
 * placing read changed (bumpRevision); `locked`, another write holds the revision lock, longer than
 * LOCK_WAIT or waiting for this batch (to wait for with `awaitRevisionLock` first); `deadlock`, the
 * server cancelled it (two imports' merges each waiting for rows the other added to).
 */
export type BatchConflict = 'stale' | 'locked' | 'deadlock';

export function batchConflictOf(error: unknown): BatchConflict | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === ATTRIBUTION_MOVED) return 'stale';
  if (code === REVISION_LOCK_HELD) return 'locked';
  if (isDeadlock(error)) return 'deadlock';
  return undefined;
}

const DAY_KEYS = 'model, day, agent, org, tier, band';
const bigints = (columns: string) =>
  columns
    .split(', ')
    .map((column) => `${column} bigint`)
    .join(', ');

const DAY_COLUMNS = `${DAY_KEYS}, ${TOKEN_SUM_COLUMNS}, job`;
const MONTH_COLUMNS = `month, org, agent, model, price, tier, band, ${TOKEN_SUM_COLUMNS}`;
const ORG_MONTH_COLUMNS = `month, org, model, price, tier, band, ${TOKEN_SUM_COLUMNS}`;
const countOf = (columns: string) => columns.split(', ').length;

/**
 * Staging tables of this session: COPY cannot write a table under row-level security, nor add to
 * what is there, so batches land here first and are merged with INSERT … SELECT. Emptied at commit.
 */
const STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS usage_import_keys (key bigint) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS usage_import_days (${bigints(DAY_COLUMNS)}) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS usage_import_months (${bigints(MONTH_COLUMNS)}) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS usage_import_org_months (${bigints(ORG_MONTH_COLUMNS)}) ON COMMIT DELETE ROWS`;

/** What placing records reads, as loaded by `load` at the start of a batch's transaction. */
interface AttributionRows {
  agents: { id: string; handle: string }[];
  aliases: { value: string; handle: string }[];
  assignments: { agent_id: string; org_id: string; from_at: string; to_at: string | null }[];
  prices: { id: number; model: string; effective_from: string; bands: number[] }[];
  refs: Map<RefKind, Map<string, number>>;
  revision: number;
  /** billing_revision.attribution_n as the rows above were read (migration 19). */
  attributionRevision: number;
}

/**
 * The usage import's reads and writes on PostgreSQL, on one connection of the import's own: every
 * method runs inside the transaction the caller opened, under the orgs it named (row-level
 * security). Keys and rollup rows travel by binary COPY into staging tables, then merge.
 */
export function createUsageImportPg(client: pg.ClientBase) {
  let rows: AttributionRows | undefined;
  /** Moves at every load, so the attribution reloads what it derived (SQLite: data_version). */
  let loads = 0;
  const loaded = (): AttributionRows => {
    if (!rows) throw new Error('The attribution is read before its first load.');
    return rows;
  };

  /** Gives every live agent, every org and `models` their integers (usage_refs); returns all, by kind. */
  async function allRefs(models: readonly string[]): Promise<Map<RefKind, Map<string, number>>> {
    await client.query(
      `INSERT INTO usage_refs (kind, name)
       SELECT 'agent', id FROM agents WHERE deleted_at IS NULL
       UNION ALL SELECT 'org', id FROM orgs
       UNION ALL SELECT 'model', unnest($1::text[])
       ON CONFLICT (kind, name) DO NOTHING`,
      [models],
    );
    const found = await client.query<{ kind: RefKind; name: string; id: string }>(
      'SELECT kind, name, id FROM usage_refs',
    );
    const byKind = new Map<RefKind, Map<string, number>>([
      ['agent', new Map()],
      ['org', new Map()],
      ['model', new Map()],
    ]);
    for (const row of found.rows) byKind.get(row.kind)?.set(row.name, Number(row.id));
    return byKind;
  }

  /** Gives `models` their integers, added to the loaded ones. */
  async function addModelRefs(models: readonly string[]): Promise<void> {
    await client.query(
      `INSERT INTO usage_refs (kind, name) SELECT 'model', unnest($1::text[]) ON CONFLICT (kind, name) DO NOTHING`,
      [models],
    );
    const found = await client.query<{ name: string; id: string }>(
      "SELECT name, id FROM usage_refs WHERE kind = 'model' AND name = ANY ($1)",
      [models],
    );
    const byName = loaded().refs.get('model') as Map<string, number>;
    for (const row of found.rows) byName.set(row.name, Number(row.id));
  }

  return {
    /** Makes this session's staging tables (once per connection). */
    async prepare(): Promise<void> {
      await client.query(STAGING);
    },

    /** Names the orgs the rest of the transaction may read and write; `mspWide` adds usage of no org. */
    async scope(orgIds: readonly string[], mspWide: boolean): Promise<void> {
      await client.query(
        "SELECT set_config('orgdeck.org_ids', $1, true), set_config('orgdeck.msp_wide', $2, true)",
        [orgIds.join(','), mspWide ? 'on' : 'off'],
      );
    },

    /** The integer usage rows name job `jobId` by, given one first if it has none. */
    async jobRef(jobId: string): Promise<number> {
      await client.query('INSERT INTO usage_jobs (job_id) VALUES ($1) ON CONFLICT (job_id) DO NOTHING', [
        jobId,
      ]);
      const found = await client.query<{ id: string }>('SELECT id FROM usage_jobs WHERE job_id = $1', [
        jobId,
      ]);
      return Number(found.rows[0]?.id);
    },

    /**
     * Reads what placing records needs (every live agent, alias, stay and price; the scope must see
     * every org) and names the batch's new models, so the attribution below reads it synchronously.
     * Read again only when the billing revision moved (every agent, stay and price change moves it;
     * an alias does not, so one added during an import counts from its next load): under row-level
     * security, reading every agent and stay costs far more than writing a batch's keys.
     */
    async load(newModels: readonly string[]): Promise<void> {
      const now = await client.query<{ n: string; attribution_n: string }>(
        'SELECT n, attribution_n FROM billing_revision',
      );
      const revision = Number(now.rows[0]?.n);
      if (rows?.revision === revision) {
        if (newModels.length > 0) await addModelRefs(newModels);
        return;
      }
      // One after another: a connection runs one query at a time.
      const agents = await client.query<{ id: string; handle: string }>(
        'SELECT id, handle FROM agents WHERE deleted_at IS NULL',
      );
      const aliases = await client.query<{ value: string; handle: string }>(
        `SELECT l.value, a.handle FROM agent_aliases l JOIN agents a ON a.id = l.agent_id
         WHERE l.source = $1 AND l.kind = $2 AND a.deleted_at IS NULL`,
        [HANDLE_ALIAS.source, HANDLE_ALIAS.kind],
      );
      const assignments = await client.query<AttributionRows['assignments'][number]>(
        'SELECT agent_id, org_id, from_at, to_at FROM agent_assignments ORDER BY agent_id, from_at',
      );
      const prices = await client.query<{
        id: string;
        model: string;
        effective_from: string;
        bands: string[];
      }>(
        `SELECT p.id, p.model, p.effective_from,
           ARRAY(SELECT DISTINCT above FROM model_price_rates WHERE price = p.id AND above > 0 ORDER BY above)
             AS bands
         FROM model_prices p ORDER BY p.model, p.effective_from`,
      );
      rows = {
        agents: agents.rows,
        aliases: aliases.rows,
        assignments: assignments.rows,
        prices: prices.rows.map((row) => ({ ...row, id: Number(row.id), bands: row.bands.map(Number) })),
        refs: await allRefs(newModels),
        revision,
        attributionRevision: Number(now.rows[0]?.attribution_n),
      };
      loads++;
    },

    /** The last load, read as SQLite's import repository is (see AttributionSource). */
    attribution: {
      liveAgents: () => loaded().agents,
      handleAliases: () => loaded().aliases,
      assignments: () => loaded().assignments,
      pricePeriods: () => loaded().prices,
      revision: () => loaded().revision,
      dataVersion: () => loads,
      refs: () => loaded().refs,
      ref(kind: RefKind, name: string): number {
        const id = loaded().refs.get(kind)?.get(name);
        if (id === undefined) throw new Error(`No usage_refs integer was loaded for the ${kind} "${name}".`);
        return id;
      },
    },

    /**
     * Records the keys (sorted, no repeats) as job `job`'s; returns those recorded before. Usually
     * all are new: COPY writes them straight into usage_seen. A key recorded before (or by an import
     * running alongside) fails that COPY, which is undone; then one INSERT tells all known from a
     * mix, and a mix is redone key by key (as SQLite's chunks are).
     */
    async markSeen(keys: BigInt64Array, job: number): Promise<Set<bigint>> {
      if (keys.length === 0) return new Set();
      await client.query('SAVEPOINT usage_seen_batch');
      try {
        await copyBinaryInto(client, 'usage_seen', 'key, job', binaryBigintValues(keys, [job]));
        return new Set();
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT usage_seen_batch');
      }
      await copyBinaryInto(client, 'usage_import_keys', 'key', binaryBigintValues(keys));
      await client.query('SAVEPOINT usage_seen_batch');
      const added = await client.query(
        'INSERT INTO usage_seen (key, job) SELECT key, $1 FROM usage_import_keys ON CONFLICT (key) DO NOTHING',
        [job],
      );
      if (added.rowCount === keys.length) return new Set();
      if (added.rowCount === 0) return new Set(keys);
      await client.query('ROLLBACK TO SAVEPOINT usage_seen_batch');
      const known = await client.query<{ key: string }>(
        `WITH added AS (
           INSERT INTO usage_seen (key, job) SELECT key, $1 FROM usage_import_keys
           ON CONFLICT (key) DO NOTHING RETURNING key)
         SELECT k.key FROM usage_import_keys k WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.key = k.key)`,
        [job],
      );
      return new Set(known.rows.map((row) => BigInt(row.key)));
    },

    /**
     * Sends the rollup rows (flat, as batch-rollup makes them) by COPY into this session's staging
     * tables, for mergeRollups.
     */
    async stageRollups(
      dayRows: ArrayLike<number>,
      monthRows: ArrayLike<number>,
      orgMonthRows: ArrayLike<number>,
    ): Promise<void> {
      const stage = async (rows: ArrayLike<number>, table: string, columns: string) => {
        if (rows.length > 0)
          await copyBinaryInto(client, table, columns, binaryBigintRows(rows, countOf(columns)));
      };
      await stage(dayRows, 'usage_import_days', DAY_COLUMNS);
      await stage(monthRows, 'usage_import_months', MONTH_COLUMNS);
      await stage(orgMonthRows, 'usage_import_org_months', ORG_MONTH_COLUMNS);
    },

    /**
     * Appends the staged day rows and adds the staged month rows to those already there, in one
     * round trip: most of a batch's database time, which the caller may spend on the next batch.
     */
    async mergeRollups(): Promise<void> {
      await client.query(`
        INSERT INTO usage_days (${DAY_COLUMNS}) SELECT ${DAY_COLUMNS} FROM usage_import_days;
        INSERT INTO usage_months (${MONTH_COLUMNS}) SELECT ${MONTH_COLUMNS} FROM usage_import_months
          ${addTokenSums('usage_months', MONTH_KEY)};
        INSERT INTO usage_org_months (${ORG_MONTH_COLUMNS}) SELECT ${ORG_MONTH_COLUMNS} FROM usage_import_org_months
          ${addTokenSums('usage_org_months', ORG_MONTH_KEY)}`);
    },

    /**
     * Reports cached before this batch are stale; the attribution takes the new revision as its own.
     * Throws ATTRIBUTION_MOVED when an agent, stay or price changed since the load (its change
     * committed, on any server, before this bump had the row lock, which the batch then holds until
     * its commit: none commits in between). Waits for the lock LOCK_WAIT at most, and not at all
     * when its holder waits for this batch (BUMP_OUT_OF_WRITERS_WAY): the batch steps back, rather
     * than be half of a deadlock whichever half the server would cancel, and is written again.
     */
    async bumpRevision(): Promise<void> {
      const [, bumped] = (await client
        .query(
          `SET LOCAL lock_timeout = '${LOCK_WAIT}'; ${BUMP_OUT_OF_WRITERS_WAY}; SET LOCAL lock_timeout TO DEFAULT`,
        )
        .catch((error) => {
          // Only this wait is one to step back from: a lock timeout elsewhere (a role's own
          // lock_timeout) stops the import like any other error.
          if (!isLockTimeout(error)) throw error;
          throw Object.assign(new Error('Another write held the revision lock too long.'), {
            code: REVISION_LOCK_HELD,
          });
        })) as unknown as pg.QueryResult<{ n: string; attribution_n: string }>[];
      const row = bumped?.rows[0];
      if (row === undefined)
        throw Object.assign(new Error('A write holding the revision lock waits for this batch.'), {
          code: REVISION_LOCK_HELD,
        });
      if (Number(row.attribution_n) !== loaded().attributionRevision) throw attributionMoved();
      loaded().revision = Number(row.n);
    },

    /**
     * Drops the last load, after a batch's transaction was rolled back: the usage_refs integers its
     * load gave new agents, orgs and models were rolled back with it, and the next load, were the
     * revision not to have moved, would keep them.
     */
    forgetLoad(): void {
      rows = undefined;
    },

    /**
     * Waits, outside any transaction, for the billing_revision row lock's holder to commit (the
     * share lock this statement takes ends with it), holding nothing the holder may wait for.
     */
    async awaitRevisionLock(): Promise<void> {
      await client.query('SELECT 1 FROM billing_revision FOR SHARE');
    },

    async saveProgress(jobId: string, progress: JobProgress): Promise<void> {
      const saved = await client.query(
        `UPDATE import_jobs SET bytes_done = $2, rows_read = $3, imported = $4, skipped = $5, bad = $6,
           bad_rows = $7, problems = $8 WHERE id = $1 AND status = 'running'`,
        [
          jobId,
          progress.bytes_done,
          progress.rows_read,
          progress.imported,
          progress.skipped,
          progress.bad,
          progress.bad_rows,
          progress.problems,
        ],
      );
      // In the batch's transaction: a job no longer running takes the batch back with it.
      if (saved.rowCount === 0) throw new Error(JOB_NO_LONGER_RUNNING);
    },
  };
}

export type UsageImportPg = ReturnType<typeof createUsageImportPg>;

import { HANDLE_ALIAS } from '../../../../shared/domain/usage-identity';
import type { SqliteDb } from '../database';
import { type Db, onPostgres } from '../engine';
import { createBillingRevision } from './billing-revision';
import { CHUNK, rowsWriter } from './rows-writer';
import { createUsageRefs, type RefKind } from './usage-refs';

/** The token sums of every usage rollup, in the order the import's flat rows carry them. */
export const TOKEN_SUMS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'records',
] as const;
/** A rollup row's token sums and record count, by column. */
export type TokenSumColumns = Record<(typeof TOKEN_SUMS)[number], number>;
export const TOKEN_SUM_COLUMNS = TOKEN_SUMS.join(', ');

/** The rollups' keys: a row of either adds to the row already there with the same key. */
export const MONTH_KEY = 'month, org, agent, model, price, tier, band';
export const ORG_MONTH_KEY = 'month, org, model, price, tier, band';

/** Adds a row's sums to the row already there with the same `key` (PostgreSQL must be told which). */
/**
 * What adding a row to a monthly rollup row already there does: its sums add up. The target's sums
 * are named by table, since an INSERT … SELECT's source may have columns of the same names.
 */
export const addTokenSums = (table: 'usage_months' | 'usage_org_months', key: string) =>
  `ON CONFLICT (${key}) DO UPDATE SET ${TOKEN_SUMS.map((sum) => `${sum} = ${table}.${sum} + excluded.${sum}`).join(', ')}`;

/** A chunk of keys some of which were seen before: rolled back and done key by key. */
const MIXED = Symbol('mixed chunk');

/** Records keys (sorted, no repeats) as job `job`'s; returns those that were recorded before. */
type MarkSeen = (keys: BigInt64Array, job: number) => Set<bigint>;

/** On SQLite: CHUNK keys a statement, in a savepoint each, key by key where a chunk is mixed. */
function sqliteMarkSeen(db: SqliteDb): MarkSeen {
  const seenChunk = db.prepare(
    `INSERT OR IGNORE INTO usage_seen (key, job) VALUES ${Array(CHUNK).fill('(?, @job)').join(', ')}`,
  );
  const seenOne = db.prepare('INSERT OR IGNORE INTO usage_seen (key, job) VALUES (?, @job)');
  // A savepoint per chunk: all new or all known (the usual cases) costs one statement per CHUNK keys.
  const tryChunk = db.transaction((keys: bigint[], job: number) => {
    const added = seenChunk.run(...keys, { job }).changes;
    if (added !== 0 && added !== keys.length) throw MIXED;
    return added === keys.length;
  });
  return (keys, job) => {
    const known = new Set<bigint>();
    const whole = keys.length - (keys.length % CHUNK);
    for (let at = 0; at < keys.length; at += CHUNK) {
      const chunk = Array.from(keys.subarray(at, Math.min(at + CHUNK, keys.length)));
      if (at < whole) {
        try {
          if (!tryChunk(chunk, job)) for (const key of chunk) known.add(key);
          continue;
        } catch (error) {
          if (error !== MIXED) throw error;
        }
      }
      for (const key of chunk) if (seenOne.run(key, { job }).changes === 0) known.add(key);
    }
    return known;
  };
}

/** On PostgreSQL (a provider export's rows; usage files go by COPY): one statement, the keys as an array. */
function postgresMarkSeen(db: Db): MarkSeen {
  const seen = db
    .prepare<{ keys: string; job: number }, bigint>(
      `WITH added AS (
         INSERT INTO usage_seen (key, job) SELECT k, :job::bigint FROM unnest(:keys::bigint[]) AS k
         ON CONFLICT (key) DO NOTHING RETURNING key)
       SELECT k FROM unnest(:keys::bigint[]) AS k WHERE k NOT IN (SELECT key FROM added)`,
    )
    .pluck()
    .safeIntegers();
  return (keys, job) => new Set(keys.length === 0 ? [] : seen.all({ keys: `{${keys.join(',')}}`, job }));
}

/** What the importer reads to place records, and the writes of a batch: seen keys, daily rows and monthly sums. */
export function createUsageImportRepo(db: Db) {
  const postgres = onPostgres(db);
  // On SQLite, a daily row that fails (a sum past 64 bits) stops its statement where it is instead
  // of undoing the statement alone, which the batch's rollback makes moot: a statement that can be
  // undone alone first copies each page it changes into a journal (760 MB per 100,000 rows measured).
  const appendInto = postgres ? 'INSERT INTO' : 'INSERT OR FAIL INTO';
  const names = createUsageRefs(db);
  const revision = createBillingRevision(db);
  const liveAgents = db.prepare<[], { id: string; handle: string }>(
    'SELECT id, handle FROM agents WHERE deleted_at IS NULL',
  );
  const handleAliases = db.prepare<typeof HANDLE_ALIAS, { value: string; handle: string }>(
    `SELECT l.value, a.handle FROM agent_aliases l JOIN agents a ON a.id = l.agent_id
     WHERE l.source = :source AND l.kind = :kind AND a.deleted_at IS NULL`,
  );
  const assignments = db.prepare<
    [],
    { agent_id: string; org_id: string; from_at: string; to_at: string | null }
  >('SELECT agent_id, org_id, from_at, to_at FROM agent_assignments ORDER BY agent_id, from_at');
  const bandThresholds = postgres
    ? `(SELECT coalesce(string_agg(above::text, ',' ORDER BY above), '') FROM (SELECT DISTINCT above
         FROM model_price_rates WHERE price = p.id AND above > 0) AS thresholds)`
    : `(SELECT ifnull(group_concat(above), '') FROM (SELECT DISTINCT above FROM model_price_rates
         WHERE price = p.id AND above > 0 ORDER BY above))`;
  const pricePeriods = db.prepare<[], { id: number; model: string; effective_from: string; bands: string }>(
    `SELECT p.id, p.model, p.effective_from, ${bandThresholds} AS bands
     FROM model_prices p ORDER BY p.model, p.effective_from`,
  );
  const addAgentRefs = db.prepare(
    "INSERT OR IGNORE INTO usage_refs (kind, name) SELECT 'agent', id FROM agents WHERE deleted_at IS NULL",
  );
  const addOrgRefs = db.prepare("INSERT OR IGNORE INTO usage_refs (kind, name) SELECT 'org', id FROM orgs");
  const refs = db.prepare<[], { kind: RefKind; name: string; id: number }>(
    'SELECT kind, name, id FROM usage_refs',
  );

  return {
    liveAgents: () => liveAgents.iterate(),
    /** Handles usage files name that no agent has, each with the live agent's handle it stands for. */
    handleAliases: () => handleAliases.iterate(HANDLE_ALIAS),
    /** Every agent's stays in orgs, by agent then start. */
    assignments: () => assignments.iterate(),
    /** Every price period, by model then start, with its band thresholds ascending. */
    *pricePeriods() {
      for (const row of pricePeriods.iterate())
        yield { ...row, bands: row.bands === '' ? [] : row.bands.split(',').map(Number) };
    },
    revision: revision.current,
    /**
     * Moves when another connection commits (PRAGMA data_version). On PostgreSQL every change that
     * moves usage elsewhere moves the billing revision (its triggers), which the attribution watches too.
     */
    dataVersion: postgres
      ? () => 0
      : () => (db as SqliteDb).pragma('data_version', { simple: true }) as number,
    /** Gives every live agent and every org an integer name; returns all of them by kind. */
    refs(): Map<RefKind, Map<string, number>> {
      addAgentRefs.run();
      addOrgRefs.run();
      const byKind = new Map<RefKind, Map<string, number>>([
        ['agent', new Map()],
        ['org', new Map()],
        ['model', new Map()],
      ]);
      for (const row of refs.iterate()) byKind.get(row.kind)?.set(row.name, row.id);
      return byKind;
    },
    ref: names.ref,
    markSeen: postgres ? postgresMarkSeen(db) : sqliteMarkSeen(db as SqliteDb),
    /** Flat [model, day, agent, org, tier, band, ...TOKEN_SUMS, job, …]. */
    appendDays: rowsWriter(
      db,
      `${appendInto} usage_days (model, day, agent, org, tier, band, ${TOKEN_SUM_COLUMNS}, job)`,
      7 + TOKEN_SUMS.length,
    ),
    /**
     * Flat [month, org, agent, model, price, tier, band, ...TOKEN_SUMS, …], added to what is there.
     * Each key at most once a call: PostgreSQL refuses an upsert that meets one row twice (sum
     * first: keyedSums).
     */
    addMonths: rowsWriter(
      db,
      `INSERT INTO usage_months (${MONTH_KEY}, ${TOKEN_SUM_COLUMNS})`,
      7 + TOKEN_SUMS.length,
      addTokenSums('usage_months', MONTH_KEY),
    ),
    /** Flat [month, org, model, price, tier, band, ...TOKEN_SUMS, …], added to what is there; each key at most once a call. */
    addOrgMonths: rowsWriter(
      db,
      `INSERT INTO usage_org_months (${ORG_MONTH_KEY}, ${TOKEN_SUM_COLUMNS})`,
      6 + TOKEN_SUMS.length,
      addTokenSums('usage_org_months', ORG_MONTH_KEY),
    ),
    /** Reports cached before this batch are stale. */
    bumpRevision: revision.bump,
  };
}

export type UsageImportRepo = ReturnType<typeof createUsageImportRepo>;

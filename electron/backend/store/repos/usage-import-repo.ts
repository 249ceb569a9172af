import type { Db } from '../database';
import { createUsageRefs, type RefKind } from './usage-refs';

/** Rows per multi-row statement: one call into SQLite writes this many. */
const CHUNK = 500;

/** An INSERT of `columns` values per row, run CHUNK rows at a time over a flat list of values. */
function rowsWriter(db: Db, head: string, columns: number, tail = '') {
  const values = (rows: number) =>
    Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');
  const chunk = db.prepare(`${head} VALUES ${values(CHUNK)} ${tail}`);
  const one = db.prepare(`${head} VALUES ${values(1)} ${tail}`);
  return (flat: (number | bigint)[]): void => {
    const whole = flat.length - (flat.length % (CHUNK * columns));
    for (let at = 0; at < whole; at += CHUNK * columns) chunk.run(flat.slice(at, at + CHUNK * columns));
    for (let at = whole; at < flat.length; at += columns) one.run(flat.slice(at, at + columns));
  };
}

const ADD_SUMS = `ON CONFLICT DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens,
  output_tokens = output_tokens + excluded.output_tokens, records = records + excluded.records`;

/** A chunk of keys some of which were seen before: rolled back and done key by key. */
const MIXED = Symbol('mixed chunk');

/** The writes of a usage import batch: seen keys, daily rows and monthly sums. */
export function createUsageImportRepo(db: Db) {
  const names = createUsageRefs(db);
  const addAgentRefs = db.prepare(
    "INSERT OR IGNORE INTO usage_refs (kind, name) SELECT 'agent', id FROM agents WHERE deleted_at IS NULL",
  );
  const addOrgRefs = db.prepare("INSERT OR IGNORE INTO usage_refs (kind, name) SELECT 'org', id FROM orgs");
  const refs = db.prepare<[], { kind: RefKind; name: string; id: number }>(
    'SELECT kind, name, id FROM usage_refs',
  );
  const seenChunk = db.prepare(
    `INSERT OR IGNORE INTO usage_seen (key, job) VALUES ${Array(CHUNK).fill('(?, @job)').join(', ')}`,
  );
  const seenOne = db.prepare('INSERT OR IGNORE INTO usage_seen (key, job) VALUES (?, @job)');
  // A savepoint per chunk: all new or all known (the usual cases) costs one statement per CHUNK keys.
  const bump = db.prepare('UPDATE billing_revision SET n = n + 1');
  const tryChunk = db.transaction((keys: bigint[], job: number) => {
    const added = seenChunk.run(...keys, { job }).changes;
    if (added !== 0 && added !== keys.length) throw MIXED;
    return added === keys.length;
  });

  return {
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
    /** Records the keys (sorted, no repeats) as job `job`'s; returns those that were recorded before. */
    markSeen(keys: BigInt64Array, job: number): Set<bigint> {
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
    },
    /** Flat [model, day, agent, org, input, output, records, job, …]. */
    appendDays: rowsWriter(
      db,
      'INSERT INTO usage_days (model, day, agent, org, input_tokens, output_tokens, records, job)',
      8,
    ),
    /** Flat [month, org, agent, model, price, input, output, records, …], added to what is there. */
    addMonths: rowsWriter(
      db,
      'INSERT INTO usage_months (month, org, agent, model, price, input_tokens, output_tokens, records)',
      8,
      ADD_SUMS,
    ),
    /** Flat [month, org, model, price, input, output, records, …], added to what is there. */
    addOrgMonths: rowsWriter(
      db,
      'INSERT INTO usage_org_months (month, org, model, price, input_tokens, output_tokens, records)',
      7,
      ADD_SUMS,
    ),
    /** Reports cached before this batch are stale. */
    bumpRevision: () => void bump.run(),
  };
}

export type UsageImportRepo = ReturnType<typeof createUsageImportRepo>;

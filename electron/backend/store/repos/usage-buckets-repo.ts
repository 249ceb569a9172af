import type { Tier } from '../../../../shared/domain/token-pricing';
import type { UsageSource } from '../../../../shared/domain/usage-identity';
import type { Db } from '../engine';
import { rowsWriter, type SqlValue } from './rows-writer';
import { TOKEN_SUMS, type TokenSumColumns } from './usage-import-repo';

/** How a provider sums a row: re-exports of the same key replace its counts. */
export interface BucketKey {
  source: UsageSource;
  bucket_start: number;
  /** The identities the row named, as a JSON array of [kind, value] pairs in the export's order. */
  identities: string;
  model: number;
  service_tier: Tier;
  long_context: 0 | 1;
  /** The export's other grouping fields and the row's values of them, a JSON array of [field, value] pairs. */
  grouped_by: string;
}

/** A bucket key's usage: what a bucket counts, whatever its start and other grouping values. */
export type BucketUsage = Omit<BucketKey, 'bucket_start' | 'grouped_by'>;

/** Where a bucket's counts were added (usage_refs ids; org 0: in no org; its band), and the counts. */
export interface BucketCounts extends TokenSumColumns {
  day: number;
  agent: number;
  org: number;
  band: number;
}

/**
 * A bucket's counts as one import brought them, with the bucket's end (epoch ms; null: imported
 * before Orgdeck kept it) and the requests the counts were summed over (null: not kept then either).
 */
export interface BucketVersion extends BucketCounts {
  job: number;
  bucket_end: number | null;
  requests: number | null;
}

/** A bucket already imported that one of another span overlaps: where it lies, and which import brought it. */
export interface BucketSpan {
  bucket_start: number;
  bucket_end: number | null;
  job: number;
}

/** A bucket's new counts, as one import brings them, and the counts they replace (kept for its undo). */
export interface BucketPut {
  key: BucketKey;
  version: BucketVersion;
  replaced?: BucketVersion;
}

/** Where a bucket's counts went, then the counts, in the rollups' order. */
const COUNTS = [
  'day',
  'agent',
  'org',
  'band',
  ...TOKEN_SUMS,
] as const satisfies readonly (keyof BucketCounts)[];
/** What each version of a bucket holds besides its key. */
const VERSION = [...COUNTS, 'bucket_end', 'requests'] as const satisfies readonly (keyof BucketVersion)[];

/** A bucket of the same source, identities, model, tier and band, whatever its other grouping values. */
const SAME_USAGE_COLUMNS = ['source', 'identities', 'model', 'service_tier', 'long_context'] as const;
const SAME_USAGE = SAME_USAGE_COLUMNS.map((column) => `${column} = :${column}`).join(' AND ');
const KEY_COLUMNS = [...SAME_USAGE_COLUMNS, 'bucket_start', 'grouped_by'] as const;
/** A bucket key's columns in the order the store keeps buckets (its primary key). */
export const BUCKET_KEY_ORDER: readonly (keyof BucketKey)[] = KEY_COLUMNS;
const KEY = KEY_COLUMNS.map((column) => `${column} = :${column}`).join(' AND ');

/** A bucket that import `job` holds the counts of and another it overlaps (BucketSpan), as a message names them. */
export interface BucketOverlap {
  source: UsageSource;
  identities: string;
  /** The model's name. */
  model: string;
  service_tier: Tier;
  bucket_start: number;
  bucket_end: number;
  other: BucketSpan;
}

/**
 * A bucket of another import beside one import `job` brought: of the same usage and start (and
 * so the same end), its other grouping values `other.grouped_by`.
 */
export interface BucketBeside extends Omit<BucketOverlap, 'other'> {
  /** The usage_refs id of the model (BucketOverlap's `model` is its name). */
  model_ref: number;
  long_context: 0 | 1;
  /** The grouping values of one bucket the import brought there (the least, as text). */
  grouped_by: string;
  other: { grouped_by: string; job: number };
}

/** One string per bucket key, for sets of keys. */
export const bucketKeyId = (key: BucketKey): string =>
  JSON.stringify([
    key.source,
    key.identities,
    key.model,
    key.service_tier,
    key.long_context,
    key.bucket_start,
    key.grouped_by,
  ]);

/** A bucket's key, and the span [start, end) a new bucket of it covers. */
type SpanQuery = BucketKey & { bucket_end: number };

/** A column of the span asked about, as SQL: a parameter, or a column of the bucket `n` a join is at. */
type SpanColumn = (column: string) => string;

/** Buckets `alias` of the same usage as the span (whatever their other grouping values). */
const sameUsage = (alias: string, n: SpanColumn) =>
  SAME_USAGE_COLUMNS.map((column) => `${alias}.${column} = ${n(column)}`).join(' AND ');

/** The start of the latest bucket of the span's usage that starts before it: the only one that can reach into it. */
const latestStartBefore = (n: SpanColumn) =>
  `(SELECT max(p.bucket_start) FROM usage_buckets p WHERE ${sameUsage('p', n)} AND p.bucket_start < ${n('bucket_start')})`;

/**
 * The three ways a bucket `o` of the same usage overlaps the span without being it; the last is
 * given the span's latestStartBefore, as SQL.
 */
const OVERLAPS: readonly ((n: SpanColumn, startBefore: string) => string)[] = [
  (n) => `o.bucket_start = ${n('bucket_start')} AND o.bucket_end <> ${n('bucket_end')}`,
  (n) => `o.bucket_start > ${n('bucket_start')} AND o.bucket_start < ${n('bucket_end')}`,
  (n, startBefore) => `o.bucket_end > ${n('bucket_start')} AND o.bucket_start = ${startBefore}`,
];

/**
 * A correction to the day rollups that undoing an import leaves to a later one: the later import
 * took the undone one's counts back out, and now takes back what those had replaced instead.
 */
export interface BucketCorrection {
  key: BucketKey;
  counts: BucketCounts;
  sign: 1 | -1;
  /** The later import (usage_jobs id) the day row is booked to, so undoing it takes this back too. */
  job: number;
}

/**
 * The current counts of each provider bucket imported, so a re-export can replace them, and the
 * counts each replaced, so undoing an import can restore them.
 */
export function createUsageBucketsRepo(db: Db) {
  const get = db.prepare<BucketKey, BucketVersion>(
    `SELECT ${VERSION.join(', ')}, job FROM usage_buckets WHERE ${KEY}`,
  );
  const startingBetween = db.prepare<
    BucketUsage & { first: number; last: number },
    BucketKey & BucketVersion
  >(
    `SELECT ${KEY_COLUMNS.join(', ')}, ${VERSION.join(', ')}, job FROM usage_buckets
     WHERE ${SAME_USAGE} AND bucket_start BETWEEN :first AND :last`,
  );
  const dropKey = db.prepare<BucketKey>(`DELETE FROM usage_buckets WHERE ${KEY}`);
  // Buckets of the same usage never overlap unless they are the same span (an import that would
  // make them is refused), so only the latest one starting before a span can reach into it. Those
  // an older Orgdeck imported, their end unknown until imported again, are seen only by their start.
  // Asked of one span (its columns as parameters) or of every bucket an import holds (`n`): one
  // statement per way for the whole import, where asking per bucket cost three queries each (half
  // of a re-export's time). The earliest is named.
  const ofSpan = (column: string) => `:${column}`;
  const overlapsOfSpan = OVERLAPS.map((overlap) =>
    db.prepare<SpanQuery, BucketSpan>(
      `SELECT o.bucket_start, o.bucket_end, o.job FROM usage_buckets o
       WHERE ${sameUsage('o', ofSpan)} AND ${overlap(ofSpan, latestStartBefore(ofSpan))}
       ORDER BY o.bucket_start LIMIT 1`,
    ),
  );
  const ofJob = (column: string) => `n.${column}`;
  // The import's buckets each with their latestStartBefore, worked out once per bucket first: as
  // a join condition, PostgreSQL worked it out again for every bucket of the same usage (an export
  // of 4,000 hourly buckets took a minute to check, one of 30,000 did not finish).
  const overlapsOfJob = OVERLAPS.map((overlap) =>
    db.prepare<
      { job: number },
      Omit<BucketOverlap, 'other'> & { o_start: number; o_end: number | null; o_job: number }
    >(
      `WITH n AS MATERIALIZED (
         SELECT b.*, ${latestStartBefore((column) => `b.${column}`)} AS start_before
         FROM usage_buckets b WHERE b.job = :job)
       SELECT n.source, n.identities, m.name AS model, n.service_tier, n.bucket_start, n.bucket_end,
         o.bucket_start AS o_start, o.bucket_end AS o_end, o.job AS o_job
       FROM n JOIN usage_refs m ON m.id = n.model
       JOIN usage_buckets o ON ${sameUsage('o', ofJob)} AND ${overlap(ofJob, 'n.start_before')}
       ORDER BY n.bucket_start, o.bucket_start, n.identities, n.model, n.service_tier LIMIT 1`,
    ),
  );
  // Once per import, for every start it brought counts to: the other imports' buckets there.
  const besideOf = db.prepare<
    { job: number },
    Omit<BucketOverlap, 'other'> & {
      model_ref: number;
      long_context: 0 | 1;
      grouped_by: string;
      o_grouped_by: string;
      o_job: number;
    }
  >(
    `SELECT n.source, n.identities, n.model AS model_ref, m.name AS model, n.service_tier,
       n.long_context, n.bucket_start, n.bucket_end, min(n.grouped_by) AS grouped_by,
       o.grouped_by AS o_grouped_by, o.job AS o_job
     FROM usage_buckets n JOIN usage_refs m ON m.id = n.model
     JOIN usage_buckets o ON ${sameUsage('o', ofJob)} AND o.bucket_start = n.bucket_start AND o.job <> n.job
     WHERE n.job = :job
     GROUP BY n.source, n.identities, n.model, m.name, n.service_tier, n.long_context, n.bucket_start,
       n.bucket_end, o.grouped_by, o.job
     ORDER BY n.bucket_start, n.identities, n.model, n.service_tier, n.long_context, o.grouped_by`,
  );
  /** A bucket of the same usage and start grouped by other fields: what replaces an older Orgdeck's ungrouped one. */
  const groupedAt = db.prepare<BucketKey, { job: number }>(
    `SELECT job FROM usage_buckets WHERE ${SAME_USAGE} AND bucket_start = :bucket_start AND grouped_by <> '[]'
     LIMIT 1`,
  );
  // Many rows a statement: a write's puts, one statement per bucket, cost a round trip each on
  // PostgreSQL (most of a provider export's import there).
  const putRows = rowsWriter(
    db,
    `INSERT INTO usage_buckets (${KEY_COLUMNS.join(', ')}, ${VERSION.join(', ')}, job)`,
    KEY_COLUMNS.length + VERSION.length + 1,
    `ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${VERSION.map((column) => `${column} = excluded.${column}`).join(', ')},
       job = excluded.job`,
  );
  const keepReplacedRows = rowsWriter(
    db,
    `INSERT INTO usage_bucket_versions (${KEY_COLUMNS.join(', ')}, job, replaced_by, ${VERSION.join(', ')})`,
    KEY_COLUMNS.length + 2 + VERSION.length,
  );
  /** Appends a bucket's row to a flat list for putRows. */
  const pushPut = (flat: SqlValue[], key: BucketKey, version: BucketVersion) => {
    for (const column of KEY_COLUMNS) flat.push(key[column]);
    for (const column of VERSION) flat.push(version[column]);
    flat.push(version.job);
  };
  /** Appends counts import `by` replaced to a flat list for keepReplacedRows. */
  const pushKept = (flat: SqlValue[], key: BucketKey, replaced: BucketVersion, by: number) => {
    for (const column of KEY_COLUMNS) flat.push(key[column]);
    flat.push(replaced.job, by);
    for (const column of VERSION) flat.push(replaced[column]);
  };
  const replacedOf = db.prepare<{ job: number }, BucketKey & BucketCounts & { replaced_by: number }>(
    `SELECT ${KEY_COLUMNS.join(', ')}, replaced_by, ${COUNTS.join(', ')} FROM usage_bucket_versions
     WHERE job = :job`,
  );
  const previousOf = db.prepare<{ replaced_by: number }, BucketKey & BucketVersion>(
    `SELECT ${KEY_COLUMNS.join(', ')}, job, ${VERSION.join(', ')} FROM usage_bucket_versions
     WHERE replaced_by = :replaced_by`,
  );
  const previous = db.prepare<BucketKey & { replaced_by: number }, BucketVersion>(
    `SELECT job, ${VERSION.join(', ')} FROM usage_bucket_versions WHERE ${KEY} AND replaced_by = :replaced_by`,
  );
  const dropVersion = db.prepare<BucketKey & { replaced_by: number }>(
    `DELETE FROM usage_bucket_versions WHERE ${KEY} AND replaced_by = :replaced_by`,
  );
  const relink = db.prepare<BucketKey & { replaced_by: number; to: number }>(
    `UPDATE usage_bucket_versions SET replaced_by = :to WHERE ${KEY} AND replaced_by = :replaced_by`,
  );
  const dropCurrent = db.prepare<{ job: number }>('DELETE FROM usage_buckets WHERE job = :job');
  const dropOrgCurrent = db.prepare<[number]>('DELETE FROM usage_buckets WHERE org = ?');
  const dropOrgVersions = db.prepare<[number]>('DELETE FROM usage_bucket_versions WHERE org = ?');

  const keyOf = (row: BucketKey): BucketKey => ({
    source: row.source,
    bucket_start: row.bucket_start,
    identities: row.identities,
    model: row.model,
    service_tier: row.service_tier,
    long_context: row.long_context,
    grouped_by: row.grouped_by,
  });
  const countsOf = (row: BucketCounts): BucketCounts =>
    Object.fromEntries(COUNTS.map((column) => [column, row[column]])) as unknown as BucketCounts;
  const versionOf = (row: BucketVersion): BucketVersion =>
    Object.fromEntries(
      [...VERSION, 'job' as const].map((column) => [column, row[column]]),
    ) as unknown as BucketVersion;

  /**
   * Sets buckets' counts as import `version.job`'s, each key at most once (PostgreSQL refuses an
   * upsert that meets one row twice); `replaced`, the counts they replace, is kept for its undo.
   */
  function putAll(puts: Iterable<BucketPut>): void {
    const keptValues: SqlValue[] = [];
    const putValues: SqlValue[] = [];
    for (const { key, version, replaced } of puts) {
      // Counts this same import brought earlier (the file listed the bucket twice) are its own:
      // undoing it goes back past them, to what it replaced first, which is kept already.
      if (replaced !== undefined && replaced.job !== version.job)
        pushKept(keptValues, key, replaced, version.job);
      pushPut(putValues, key, version);
    }
    keepReplacedRows(keptValues);
    putRows(putValues);
  }

  return {
    get: (key: BucketKey): BucketVersion | undefined => get.get(key),
    /**
     * Every bucket of `usage` starting from `first` to `last` (epoch ms, both in), whatever its
     * other grouping values or width, with its key: one query for what a write's buckets of one
     * usage would each ask `get`.
     */
    startingBetween: (
      usage: BucketUsage,
      first: number,
      last: number,
    ): { key: BucketKey; version: BucketVersion }[] =>
      startingBetween
        .all({
          source: usage.source,
          identities: usage.identities,
          model: usage.model,
          service_tier: usage.service_tier,
          long_context: usage.long_context,
          first,
          last,
        })
        .map((row) => ({ key: keyOf(row), version: versionOf(row) })),
    /**
     * A bucket of the same usage as `key` (source, identities, model, tier, band; any other
     * grouping values) that overlaps the span from its start to `end` without being that span, or
     * undefined. A bucket imported before Orgdeck kept ends overlaps when it starts inside the span.
     */
    overlapping(key: BucketKey, end: number): BucketSpan | undefined {
      const span = { ...key, bucket_end: end };
      for (const statement of overlapsOfSpan) {
        const found = statement.get(span);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    /**
     * A bucket whose counts import `job` brought that overlaps another bucket of the same usage
     * without being its span (as `overlapping` says), or undefined. Asked once an import has put
     * its buckets, inside its transaction, so a refusal takes them all back.
     */
    overlapOf(job: number): BucketOverlap | undefined {
      for (const statement of overlapsOfJob) {
        const found = statement.get({ job });
        if (found !== undefined) {
          const { o_start, o_end, o_job, ...bucket } = found;
          return { ...bucket, other: { bucket_start: o_start, bucket_end: o_end, job: o_job } };
        }
      }
      return undefined;
    },
    /**
     * Buckets other imports hold at the usage and start of each bucket import `job` brought counts
     * to (not those it listed unchanged), in key order. Asked once an import has put its buckets.
     */
    besideOf(job: number): BucketBeside[] {
      return besideOf.all({ job }).map(({ o_grouped_by, o_job, ...bucket }) => ({
        ...bucket,
        other: { grouped_by: o_grouped_by, job: o_job },
      }));
    },
    putAll,
    /** Forgets a bucket that import `job` replaced by buckets of other keys, keeping its counts for the undo. */
    retire(key: BucketKey, replaced: BucketVersion, job: number): void {
      const keptValues: SqlValue[] = [];
      pushKept(keptValues, key, replaced, job);
      keepReplacedRows(keptValues);
      dropKey.run(key);
    },
    /**
     * Takes import `job` out of every bucket's chain, as if it had never been imported: where its
     * counts are current, the ones they replaced are current again (or the bucket is forgotten);
     * where a later import replaced them, that import replaces what they had replaced instead.
     * Its own day rows are the caller's to drop; returns the day rows the later imports need.
     */
    undo(job: number): BucketCorrection[] {
      const corrections: BucketCorrection[] = [];
      for (const replaced of replacedOf.all({ job })) {
        const key = keyOf(replaced);
        const later = replaced.replaced_by;
        const before = previous.get({ ...key, replaced_by: job });
        dropVersion.run({ ...key, replaced_by: later });
        corrections.push({ key, counts: countsOf(replaced), sign: 1, job: later });
        if (before !== undefined) {
          relink.run({ ...key, replaced_by: job, to: later });
          corrections.push({ key, counts: countsOf(before), sign: -1, job: later });
        }
      }
      dropCurrent.run({ job });
      const restore = previousOf.all({ replaced_by: job });
      for (const version of restore) {
        const key = keyOf(version);
        // The bucket itself, current by a later import; or, for an ungrouped bucket an older Orgdeck
        // imported (its end unknown), buckets grouped otherwise that replaced it. Never a bucket of
        // other grouping values beside it: that is other usage.
        const now =
          get.get(key) ??
          (key.grouped_by === '[]' && version.bucket_end === null ? groupedAt.get(key) : undefined);
        if (now === undefined) {
          dropVersion.run({ ...key, replaced_by: job });
          putAll([{ key, version }]);
          continue;
        }
        // A later import's counts are current (the import's own went with a purged org, or the
        // later one replaced them, grouped otherwise): that one replaces what this one had replaced
        // (its take-back of this one's went with the org, or is undone above).
        relink.run({ ...key, replaced_by: job, to: now.job });
        corrections.push({ key, counts: countsOf(version), sign: -1, job: now.job });
      }
      return corrections;
    },
    /** A purged org's buckets are forgotten, with the counts they replaced there. */
    dropOrg(org: number): void {
      dropOrgCurrent.run(org);
      dropOrgVersions.run(org);
    },
  };
}

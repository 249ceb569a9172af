import type { Tier } from '../../../../shared/domain/token-pricing';
import type { UsageSource } from '../../../../shared/domain/usage-identity';
import type { Db } from '../engine';
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
}

/** Where a bucket's counts were added (usage_refs ids; org 0: in no org; its band), and the counts. */
export interface BucketCounts extends TokenSumColumns {
  day: number;
  agent: number;
  org: number;
  band: number;
}

/** Where a bucket's counts went, then the counts, in the rollups' order. */
const COUNTS = [
  'day',
  'agent',
  'org',
  'band',
  ...TOKEN_SUMS,
] as const satisfies readonly (keyof BucketCounts)[];

const KEY_COLUMNS = [
  'source',
  'bucket_start',
  'identities',
  'model',
  'service_tier',
  'long_context',
] as const;
const KEY = KEY_COLUMNS.map((column) => `${column} = :${column}`).join(' AND ');

/** A bucket's counts as one import brought them. */
export type BucketVersion = BucketCounts & { job: number };

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
    `SELECT ${COUNTS.join(', ')}, job FROM usage_buckets WHERE ${KEY}`,
  );
  const put = db.prepare<BucketKey & BucketVersion>(
    `INSERT INTO usage_buckets (${KEY_COLUMNS.join(', ')}, ${COUNTS.join(', ')}, job)
     VALUES (${KEY_COLUMNS.map((column) => `:${column}`).join(', ')},
       ${COUNTS.map((column) => `:${column}`).join(', ')}, :job)
     ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${COUNTS.map((column) => `${column} = excluded.${column}`).join(', ')},
       job = excluded.job`,
  );
  const keepReplaced = db.prepare<BucketKey & BucketVersion & { replaced_by: number }>(
    `INSERT INTO usage_bucket_versions (${KEY_COLUMNS.join(', ')}, job, replaced_by, ${COUNTS.join(', ')})
     VALUES (${KEY_COLUMNS.map((column) => `:${column}`).join(', ')}, :job, :replaced_by,
       ${COUNTS.map((column) => `:${column}`).join(', ')})`,
  );
  const replacedOf = db.prepare<{ job: number }, BucketKey & BucketCounts & { replaced_by: number }>(
    `SELECT ${KEY_COLUMNS.join(', ')}, replaced_by, ${COUNTS.join(', ')} FROM usage_bucket_versions
     WHERE job = :job`,
  );
  const previousOf = db.prepare<{ replaced_by: number }, BucketKey & BucketVersion>(
    `SELECT ${KEY_COLUMNS.join(', ')}, job, ${COUNTS.join(', ')} FROM usage_bucket_versions
     WHERE replaced_by = :replaced_by`,
  );
  const previous = db.prepare<BucketKey & { replaced_by: number }, BucketVersion>(
    `SELECT job, ${COUNTS.join(', ')} FROM usage_bucket_versions WHERE ${KEY} AND replaced_by = :replaced_by`,
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
  });
  const countsOf = (row: BucketCounts): BucketCounts =>
    Object.fromEntries(COUNTS.map((column) => [column, row[column]])) as unknown as BucketCounts;

  return {
    get: (key: BucketKey): BucketVersion | undefined => get.get(key),
    /** Sets a bucket's counts as import `job`'s; `replaced`, the counts they replace, is kept for its undo. */
    put(key: BucketKey, counts: BucketCounts, job: number, replaced?: BucketVersion): void {
      // Counts this same import brought earlier (the file listed the bucket twice) are its own:
      // undoing it goes back past them, to what it replaced first, which is kept already.
      if (replaced !== undefined && replaced.job !== job)
        keepReplaced.run({ ...key, ...replaced, replaced_by: job });
      put.run({ ...key, ...counts, job });
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
        const now = get.get(key);
        if (now === undefined) {
          dropVersion.run({ ...key, replaced_by: job });
          put.run({ ...key, ...countsOf(version), job: version.job });
          continue;
        }
        // The import's own counts went with a purged org, and a later import's are current: that
        // one replaces what this one had replaced (its take-back of this one's went with the org).
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

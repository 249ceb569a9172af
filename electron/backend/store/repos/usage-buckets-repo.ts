import type { Tier } from '../../../../shared/domain/token-pricing';
import type { UsageSource } from '../../../../shared/domain/usage-identity';
import type { Db } from '../database';
import { TOKEN_SUMS } from './usage-import-repo';

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
export interface BucketCounts {
  day: number;
  agent: number;
  org: number;
  band: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  reasoning_tokens: number;
  records: number;
}

/** Where a bucket's counts went, then the counts, in the rollups' order. */
const COUNTS = [
  'day',
  'agent',
  'org',
  'band',
  ...TOKEN_SUMS,
] as const satisfies readonly (keyof BucketCounts)[];

const KEY = `source = :source AND bucket_start = :bucket_start AND identities = :identities
  AND model = :model AND service_tier = :service_tier AND long_context = :long_context`;

/** The current counts of each provider bucket imported, so a re-export can replace them. */
export function createUsageBucketsRepo(db: Db) {
  const get = db.prepare<BucketKey, BucketCounts>(
    `SELECT ${COUNTS.join(', ')} FROM usage_buckets WHERE ${KEY}`,
  );
  const put = db.prepare<BucketKey & BucketCounts>(
    `INSERT INTO usage_buckets (source, bucket_start, identities, model, service_tier, long_context,
       ${COUNTS.join(', ')})
     VALUES (:source, :bucket_start, :identities, :model, :service_tier, :long_context,
       ${COUNTS.map((column) => `:${column}`).join(', ')})
     ON CONFLICT DO UPDATE SET ${COUNTS.map((column) => `${column} = excluded.${column}`).join(', ')}`,
  );
  return {
    get: (key: BucketKey): BucketCounts | undefined => get.get(key),
    put: (key: BucketKey, counts: BucketCounts) => void put.run({ ...key, ...counts }),
  };
}

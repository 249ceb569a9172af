import type { ServiceTier, UsageSource } from '../../../../shared/domain/usage-identity';
import type { Db } from '../database';

/** How a provider sums a row: re-exports of the same key replace its counts. */
export interface BucketKey {
  source: UsageSource;
  bucket_start: number;
  /** The identities the row named, as a JSON array of [kind, value] pairs in the export's order. */
  identities: string;
  model: number;
  service_tier: ServiceTier;
  long_context: 0 | 1;
}

/** Where a bucket's counts were added (usage_refs ids; org 0: in no org), and the counts. */
export interface BucketCounts {
  day: number;
  agent: number;
  org: number;
  input_tokens: number;
  output_tokens: number;
  records: number;
}

const KEY = `source = :source AND bucket_start = :bucket_start AND identities = :identities
  AND model = :model AND service_tier = :service_tier AND long_context = :long_context`;

/** The current counts of each provider bucket imported, so a re-export can replace them. */
export function createUsageBucketsRepo(db: Db) {
  const get = db.prepare<BucketKey, BucketCounts>(
    `SELECT day, agent, org, input_tokens, output_tokens, records FROM usage_buckets WHERE ${KEY}`,
  );
  const put = db.prepare<BucketKey & BucketCounts>(
    `INSERT INTO usage_buckets (source, bucket_start, identities, model, service_tier, long_context,
       day, agent, org, input_tokens, output_tokens, records)
     VALUES (:source, :bucket_start, :identities, :model, :service_tier, :long_context,
       :day, :agent, :org, :input_tokens, :output_tokens, :records)
     ON CONFLICT DO UPDATE SET day = excluded.day, agent = excluded.agent, org = excluded.org,
       input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, records = excluded.records`,
  );
  return {
    get: (key: BucketKey): BucketCounts | undefined => get.get(key),
    put: (key: BucketKey, counts: BucketCounts) => void put.run({ ...key, ...counts }),
  };
}

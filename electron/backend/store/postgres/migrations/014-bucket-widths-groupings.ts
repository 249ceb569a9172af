import type { PostgresMigration } from '../migrate';

/**
 * SQLite's migration 27: a provider bucket keeps its end, its other grouping values (part of its
 * key, which now leads with the usage and ends with the start) and the requests it was summed over.
 */
export const bucketWidthsGroupings: PostgresMigration = {
  version: 14,
  name: 'Provider buckets keep their end, their other grouping values and their requests (SQLite migration 27)',
  sql: `
    ALTER TABLE usage_buckets
      ADD COLUMN bucket_end bigint CHECK (bucket_end > bucket_start),
      ADD COLUMN grouped_by text NOT NULL DEFAULT '[]',
      ADD COLUMN requests bigint,
      DROP CONSTRAINT usage_buckets_pkey,
      ADD PRIMARY KEY (source, identities, model, service_tier, long_context, bucket_start, grouped_by);
    ALTER TABLE usage_bucket_versions
      ADD COLUMN bucket_end bigint CHECK (bucket_end > bucket_start),
      ADD COLUMN grouped_by text NOT NULL DEFAULT '[]',
      ADD COLUMN requests bigint,
      DROP CONSTRAINT usage_bucket_versions_pkey,
      ADD PRIMARY KEY (source, identities, model, service_tier, long_context, bucket_start, grouped_by, replaced_by);
  `,
};

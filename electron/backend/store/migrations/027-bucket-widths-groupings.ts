import type { Migration } from '../migrate';

/** The columns usage_buckets and usage_bucket_versions share, as version 15 left them. */
const SHARED_COLUMNS = `source, bucket_start, identities, model, service_tier, long_context, day, agent, org, band,
  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
  reasoning_tokens, records, job`;

export const bucketWidthsGroupings: Migration = {
  version: 27,
  name: 'provider buckets keep their end, their other grouping values and their requests',
  sql: `
    -- A bucket is keyed by its grouping values as well: results of an export that differ only in
    -- a field Orgdeck neither prices nor maps to an agent (Anthropic's inference_geo, speed, account)
    -- are different usage, where they used to replace each other. Its end is kept, so a bucket of
    -- another width over the same period (a day's export after its hours') is refused instead of
    -- replacing only the bucket that starts with it. The key now leads with the usage and ends with
    -- the start and grouping, so the buckets of one usage around a period are found in order.
    -- Buckets imported before keep '[]' (no grouping values) and an unknown end (NULL).
    CREATE TABLE usage_buckets_new (
      source        TEXT NOT NULL CHECK (source IN ('openai', 'anthropic', 'litellm')),
      bucket_start  INTEGER NOT NULL, -- epoch ms
      -- epoch ms; NULL: imported before this version, which did not keep it.
      bucket_end    INTEGER CHECK (bucket_end > bucket_start),
      identities    TEXT NOT NULL,
      model         INTEGER NOT NULL,
      service_tier  TEXT NOT NULL CHECK (service_tier IN ('standard', 'batch', 'flex', 'priority')),
      long_context  INTEGER NOT NULL CHECK (long_context IN (0, 1)),
      -- The export's other grouping fields and the row's values, a JSON array of [field, value] pairs.
      grouped_by    TEXT NOT NULL DEFAULT '[]',
      day           INTEGER NOT NULL,
      agent         INTEGER NOT NULL,
      org           INTEGER NOT NULL,
      band          INTEGER NOT NULL,
      input_tokens          INTEGER NOT NULL,
      output_tokens         INTEGER NOT NULL,
      cache_read_tokens     INTEGER NOT NULL,
      cache_write_tokens    INTEGER NOT NULL,
      cache_write_1h_tokens INTEGER NOT NULL,
      reasoning_tokens      INTEGER NOT NULL,
      records               INTEGER NOT NULL,
      -- The requests its counts were summed over, which decide the band of counts the same import
      -- sums into it; NULL: imported before this version.
      requests      INTEGER,
      job           INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (source, identities, model, service_tier, long_context, bucket_start, grouped_by)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO usage_buckets_new (${SHARED_COLUMNS}) SELECT ${SHARED_COLUMNS} FROM usage_buckets;
    DROP TABLE usage_buckets;
    ALTER TABLE usage_buckets_new RENAME TO usage_buckets;
    CREATE INDEX usage_buckets_job ON usage_buckets (job);

    CREATE TABLE usage_bucket_versions_new (
      source        TEXT NOT NULL CHECK (source IN ('openai', 'anthropic', 'litellm')),
      bucket_start  INTEGER NOT NULL,
      bucket_end    INTEGER CHECK (bucket_end > bucket_start),
      identities    TEXT NOT NULL,
      model         INTEGER NOT NULL,
      service_tier  TEXT NOT NULL CHECK (service_tier IN ('standard', 'batch', 'flex', 'priority')),
      long_context  INTEGER NOT NULL CHECK (long_context IN (0, 1)),
      grouped_by    TEXT NOT NULL DEFAULT '[]',
      job           INTEGER NOT NULL,
      replaced_by   INTEGER NOT NULL,
      day           INTEGER NOT NULL,
      agent         INTEGER NOT NULL,
      org           INTEGER NOT NULL,
      band          INTEGER NOT NULL,
      input_tokens          INTEGER NOT NULL,
      output_tokens         INTEGER NOT NULL,
      cache_read_tokens     INTEGER NOT NULL,
      cache_write_tokens    INTEGER NOT NULL,
      cache_write_1h_tokens INTEGER NOT NULL,
      reasoning_tokens      INTEGER NOT NULL,
      records               INTEGER NOT NULL,
      requests      INTEGER,
      PRIMARY KEY (source, identities, model, service_tier, long_context, bucket_start, grouped_by, replaced_by)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO usage_bucket_versions_new (${SHARED_COLUMNS}, replaced_by)
      SELECT ${SHARED_COLUMNS}, replaced_by FROM usage_bucket_versions;
    DROP TABLE usage_bucket_versions;
    ALTER TABLE usage_bucket_versions_new RENAME TO usage_bucket_versions;
    CREATE INDEX usage_bucket_versions_job ON usage_bucket_versions (job);
    CREATE INDEX usage_bucket_versions_replaced_by ON usage_bucket_versions (replaced_by);
  `,
};

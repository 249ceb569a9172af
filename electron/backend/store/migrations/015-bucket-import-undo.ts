import type { Migration } from '../migrate';

export const bucketImportUndo: Migration = {
  version: 15,
  name: 'which import brought each provider bucket’s counts and what they replaced, so it can be undone',
  sql: `
    -- The import (usage_jobs id) whose counts a bucket holds now; 0: imported before this version.
    ALTER TABLE usage_buckets ADD COLUMN job INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX usage_buckets_job ON usage_buckets (job);

    -- The counts a bucket held before an import replaced them, with where they had been added, so
    -- undoing that import puts them back. A bucket's versions form a chain: each was brought by
    -- one import (job) and replaced by the next (replaced_by), the current one is in usage_buckets.
    CREATE TABLE usage_bucket_versions (
      source        TEXT NOT NULL CHECK (source IN ('openai', 'anthropic', 'litellm')),
      bucket_start  INTEGER NOT NULL,
      identities    TEXT NOT NULL,
      model         INTEGER NOT NULL,
      service_tier  TEXT NOT NULL CHECK (service_tier IN ('standard', 'batch', 'flex', 'priority')),
      long_context  INTEGER NOT NULL CHECK (long_context IN (0, 1)),
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
      PRIMARY KEY (source, bucket_start, identities, model, service_tier, long_context, replaced_by)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX usage_bucket_versions_job ON usage_bucket_versions (job);
    CREATE INDEX usage_bucket_versions_replaced_by ON usage_bucket_versions (replaced_by);

    -- Imports made before this version recorded no replaced counts: their buckets cannot be undone.
    ALTER TABLE usage_jobs ADD COLUMN keeps_replaced_buckets INTEGER NOT NULL DEFAULT 1
      CHECK (keeps_replaced_buckets IN (0, 1));
    UPDATE usage_jobs SET keeps_replaced_buckets = 0;
  `,
};

import type { Migration } from '../migrate';

export const usageImportUndo: Migration = {
  version: 10,
  name: 'which import added each usage row, so an import can be undone',
  sql: `
    -- An integer per usage import job: usage_days and usage_seen hold millions of rows, too many
    -- for a UUID each. Rows imported before this version, and an org archive's, carry job 0.
    CREATE TABLE usage_jobs (
      id     INTEGER PRIMARY KEY,
      job_id TEXT NOT NULL UNIQUE REFERENCES import_jobs (id) ON DELETE CASCADE
    ) STRICT;

    ALTER TABLE usage_days ADD COLUMN job INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_seen ADD COLUMN job INTEGER NOT NULL DEFAULT 0;
    -- Job numbers and usage_days rowids only grow, so this index is appended to during an import.
    -- usage_seen has none: its keys are hashes, so an index by job would be written all over like
    -- the table itself; undoing an import reads the table through instead.
    CREATE INDEX usage_days_job ON usage_days (job);

    ALTER TABLE import_jobs ADD COLUMN undone_at TEXT;
  `,
};

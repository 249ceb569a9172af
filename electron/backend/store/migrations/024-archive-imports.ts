import type { Migration } from '../migrate';

export const archiveImports: Migration = {
  version: 24,
  name: 'Archive imports: an org archive writes its daily usage a write at a time before the org appears',
  sql: `
    -- An org archive being imported: its daily rows are written to usage_days a few at a time, under
    -- org_ref (the usage_refs id of the org it creates), above the rowid watermark since, while the
    -- org itself does not exist yet, so nothing shows them. One last write adds the org and sums
    -- its months. An import that failed, or that a crash cut short, is abandoned: its rows leave a
    -- few at a time, resumed at the next start.
    CREATE TABLE archive_imports (
      org_ref    INTEGER PRIMARY KEY,
      since      INTEGER NOT NULL,
      abandoned  INTEGER NOT NULL DEFAULT 0,
      started_at TEXT NOT NULL
    ) STRICT;
  `,
};

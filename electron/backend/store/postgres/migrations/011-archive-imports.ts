import type { PostgresMigration } from '../migrate';

/**
 * SQLite's migration 24: an org archive being imported, its daily usage written before the org
 * exists (no org owns the row: it names a usage ref, so it stays outside row-level security like
 * usage_undos).
 */
export const archiveImports: PostgresMigration = {
  version: 11,
  name: 'Archive imports in progress (SQLite migration 24)',
  sql: `
    CREATE TABLE archive_imports (
      org_ref    bigint PRIMARY KEY,
      since      bigint NOT NULL,
      abandoned  integer NOT NULL DEFAULT 0,
      started_at text NOT NULL
    );
  `,
};

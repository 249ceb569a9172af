import type { PostgresMigration } from '../migrate';

/**
 * SQLite's migration 22: an import being undone records how far its undo got (no org owns the row:
 * it names an import's integer, so it stays outside row-level security like usage_relabels).
 */
export const usageUndos: PostgresMigration = {
  version: 5,
  name: 'Pending usage undos (SQLite migration 22)',
  sql: `
    CREATE TABLE usage_undos (
      job         bigint PRIMARY KEY,
      actor_id    text,
      actor_label text NOT NULL,
      records     bigint NOT NULL,
      seen_from   bigint NOT NULL
    );
  `,
};

import type { Migration } from '../migrate';

export const usageUndos: Migration = {
  version: 22,
  name: 'Usage undos: undoing an import takes its rows out a few days of a model per write, resumed after a restart',
  sql: `
    -- An import (usage_jobs id) being undone: its daily rows leave a few days of a model per write, then its
    -- seen-row keys a range per write from seen_from on, so other writes run between. records counts
    -- what left so far, and the actor is kept for the audit entry written when the undo ends.
    CREATE TABLE usage_undos (
      job         INTEGER PRIMARY KEY,
      actor_id    TEXT,
      actor_label TEXT NOT NULL,
      records     INTEGER NOT NULL,
      seen_from   INTEGER NOT NULL
    ) STRICT;
  `,
};

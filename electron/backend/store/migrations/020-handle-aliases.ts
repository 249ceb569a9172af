import type { Migration } from '../migrate';

export const handleAliases: Migration = {
  version: 20,
  name: 'Handle aliases: a handle our own usage files name that no agent has may stand for an agent',
  // SQLite cannot change a CHECK in place: the table is built anew with its rows.
  sql: `
    CREATE TABLE agent_aliases_next (
      source     TEXT NOT NULL CHECK (source IN ('orgdeck', 'openai', 'anthropic', 'litellm')),
      kind       TEXT NOT NULL CHECK (kind IN ('handle', 'api_key', 'project', 'workspace', 'user', 'team')),
      value      TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
      agent_id   TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (source, kind, value),
      -- Our own files name agents by handle only; providers never do.
      CHECK ((source = 'orgdeck') = (kind = 'handle'))
    ) STRICT, WITHOUT ROWID;
    INSERT INTO agent_aliases_next (source, kind, value, agent_id, created_at)
      SELECT source, kind, value, agent_id, created_at FROM agent_aliases;
    DROP TABLE agent_aliases;
    ALTER TABLE agent_aliases_next RENAME TO agent_aliases;
    CREATE INDEX agent_aliases_agent ON agent_aliases (agent_id);
  `,
};

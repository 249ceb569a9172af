import type { Migration } from '../migrate';

export const usageIdentities: Migration = {
  version: 11,
  name: 'agent aliases for the identities provider exports name, their buckets’ current counts, import formats',
  sql: `
    -- Which agent an API key, project, workspace, user or team named in a provider's usage export
    -- stands for. A value maps to one agent; an agent may have many. Agents are deleted softly, so
    -- an alias outlives nothing but a purge.
    CREATE TABLE agent_aliases (
      source     TEXT NOT NULL CHECK (source IN ('openai', 'anthropic', 'litellm')),
      kind       TEXT NOT NULL CHECK (kind IN ('api_key', 'project', 'workspace', 'user', 'team')),
      value      TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
      agent_id   TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (source, kind, value)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX agent_aliases_agent ON agent_aliases (agent_id);

    -- The counts each row of an aggregated export (a provider's time bucket) last brought, keyed as
    -- the provider sums it, and the day, agent and org (usage_refs ids, 0: in no org) they were
    -- added to: a re-export of the bucket takes those counts back out of the rollups and adds its
    -- own, so a daily re-download of the month replaces instead of adding up.
    CREATE TABLE usage_buckets (
      source        TEXT NOT NULL CHECK (source IN ('openai', 'anthropic', 'litellm')),
      bucket_start  INTEGER NOT NULL, -- epoch ms
      -- The identities the provider named for the row, as a JSON array of [kind, value] pairs in
      -- the export's order: together they are one grouping of the export.
      identities    TEXT NOT NULL,
      model         INTEGER NOT NULL,
      service_tier  TEXT NOT NULL CHECK (service_tier IN ('standard', 'batch', 'flex', 'priority')),
      long_context  INTEGER NOT NULL CHECK (long_context IN (0, 1)), -- 1: the export put it in the band
      day           INTEGER NOT NULL,
      agent         INTEGER NOT NULL,
      org           INTEGER NOT NULL,
      band          INTEGER NOT NULL, -- the band threshold its counts were priced in (0: none)
      input_tokens          INTEGER NOT NULL,
      output_tokens         INTEGER NOT NULL,
      cache_read_tokens     INTEGER NOT NULL,
      cache_write_tokens    INTEGER NOT NULL,
      cache_write_1h_tokens INTEGER NOT NULL,
      reasoning_tokens      INTEGER NOT NULL,
      records               INTEGER NOT NULL,
      PRIMARY KEY (source, bucket_start, identities, model, service_tier, long_context)
    ) STRICT, WITHOUT ROWID;

    -- The format an import read (detected or named), and the identities of its rows that no alias
    -- mapped, with their tokens: what the user maps before importing again.
    ALTER TABLE import_jobs ADD COLUMN format TEXT NOT NULL DEFAULT 'orgdeck'
      CHECK (format IN ('orgdeck', 'openai', 'anthropic', 'litellm'));
    ALTER TABLE import_jobs ADD COLUMN unmatched TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(unmatched));
  `,
};

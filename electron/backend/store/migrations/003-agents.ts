import type { Migration } from '../migrate';

export const agents: Migration = {
  version: 3,
  name: 'agents and their assignment history',
  sql: `
    CREATE TABLE agents (
      id          TEXT PRIMARY KEY,
      handle      TEXT NOT NULL,
      name        TEXT NOT NULL,
      email       TEXT NOT NULL DEFAULT '',
      model       TEXT NOT NULL DEFAULT '',
      status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'stopped')),
      description TEXT NOT NULL DEFAULT '',
      rate_micros INTEGER CHECK (rate_micros IS NULL OR rate_micros >= 0),
      -- The org of the open assignment interval, kept here so lists and counts need no history scan.
      org_id      TEXT REFERENCES orgs (id),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      -- Deleted agents stay, with their history, so past months still bill the same.
      deleted_at  TEXT
    ) STRICT;
    CREATE UNIQUE INDEX agents_handle ON agents (handle) WHERE deleted_at IS NULL;
    CREATE INDEX agents_org ON agents (org_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;
    CREATE INDEX agents_name ON agents (name COLLATE NOCASE) WHERE deleted_at IS NULL;

    -- One row per interval an agent spent in an org: [from_at, to_at), to_at NULL while open.
    CREATE TABLE agent_assignments (
      id       INTEGER PRIMARY KEY,
      agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      org_id   TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      from_at  TEXT NOT NULL,
      to_at    TEXT,
      CHECK (to_at IS NULL OR to_at > from_at)
    ) STRICT;
    CREATE INDEX agent_assignments_agent ON agent_assignments (agent_id, from_at);
    CREATE INDEX agent_assignments_org ON agent_assignments (org_id, from_at);
    CREATE UNIQUE INDEX agent_assignments_one_open ON agent_assignments (agent_id) WHERE to_at IS NULL;
  `,
};

import type { Migration } from '../migrate';

export const policies: Migration = {
  version: 7,
  name: 'guardrail policies with versions, and per-org policy defaults',
  sql: `
    CREATE TABLE policies (
      id         TEXT PRIMARY KEY,
      org_id     TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      kind       TEXT NOT NULL,
      version    INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX policies_org ON policies (org_id);

    -- Every edit is a row; the policy's current state is its row at policies.version.
    CREATE TABLE policy_versions (
      policy_id   TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
      version     INTEGER NOT NULL,
      name        TEXT NOT NULL,
      description TEXT NOT NULL,
      config      TEXT NOT NULL CHECK (json_valid(config)),
      enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      change      TEXT NOT NULL,
      at          TEXT NOT NULL,
      actor_label TEXT NOT NULL,
      PRIMARY KEY (policy_id, version)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE policy_defaults (
      org_id                   TEXT PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
      default_decision         TEXT NOT NULL CHECK (default_decision IN ('allow', 'deny')),
      approval_timeout_minutes INTEGER NOT NULL CHECK (approval_timeout_minutes > 0),
      require_description      INTEGER NOT NULL CHECK (require_description IN (0, 1))
    ) STRICT;
  `,
};

import type { Migration } from '../migrate';

export const orgLifecycleUsersAudit: Migration = {
  version: 2,
  name: 'org lifecycle, page permissions, settings and the audit trail',
  sql: `
    ALTER TABLE orgs ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE orgs ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
    ALTER TABLE orgs ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ALTER TABLE orgs ADD COLUMN billing_mode TEXT NOT NULL DEFAULT 'prorated'
      CHECK (billing_mode IN ('prorated', 'full_month'));
    ALTER TABLE orgs ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
    ALTER TABLE orgs ADD COLUMN deleted_at TEXT;
    CREATE INDEX orgs_deleted ON orgs (deleted_at) WHERE deleted_at IS NOT NULL;

    ALTER TABLE users ADD COLUMN pages TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pages));
    CREATE INDEX users_bound_org ON users (bound_org_id) WHERE bound_org_id IS NOT NULL;

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value))
    ) STRICT;

    -- Append-only. org_id is kept as text, not a foreign key, so the record of an org outlives
    -- the org when it is purged.
    CREATE TABLE audit_events (
      id          INTEGER PRIMARY KEY,
      at          TEXT NOT NULL,
      actor_id    TEXT,
      actor_label TEXT NOT NULL,
      org_id      TEXT,
      action      TEXT NOT NULL,
      target_type TEXT NOT NULL,
      target_id   TEXT NOT NULL,
      summary     TEXT NOT NULL CHECK (json_valid(summary))
    ) STRICT;
    CREATE INDEX audit_events_org_at ON audit_events (org_id, at);
    CREATE INDEX audit_events_action ON audit_events (action, at);
  `,
};

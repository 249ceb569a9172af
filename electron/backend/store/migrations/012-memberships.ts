import type { Migration } from '../migrate';

/**
 * Roles per organization. A `user` held one org through users.bound_org_id; they now hold
 * memberships, (org, role) rows, and staff serving every client hold one "every client org" role.
 * SQLite cannot change a CHECK constraint in place, so users is rebuilt (for the billing_admin
 * role); sessions and API tokens, which reference it, are set aside and rebuilt, so nothing cascades away.
 * Each binding of a `user` becomes one `member` membership, keeping the user's page permissions.
 */
export const memberships: Migration = {
  version: 12,
  name: 'memberships: roles per organization, the billing admin console role, invites and two-factor sign-in',
  sql: `
    CREATE TABLE users_rebuilt (
      id                   TEXT PRIMARY KEY,
      email                TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name                 TEXT NOT NULL,
      role                 TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'billing_admin', 'user')),
      password_hash        TEXT NOT NULL,
      pages                TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pages)),
      -- Staff who serve every client org, present and future, with one role; NULL for the others.
      all_client_orgs_role TEXT CHECK (all_client_orgs_role IN ('manager', 'member', 'viewer', 'billing')),
      -- Two-factor sign-in: TOTP seeds sealed with a key kept outside the store (never in clear);
      -- the pending one waits for the first code, the enrolled one is asked for at every sign-in.
      totp_pending_seed    TEXT,
      totp_seed            TEXT,
      totp_enrolled_at     TEXT,
      disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at           TEXT NOT NULL,
      updated_at           TEXT NOT NULL
    ) STRICT;
    INSERT INTO users_rebuilt (id, email, name, role, password_hash, pages, disabled, created_at, updated_at)
      SELECT id, email, name, role, password_hash, pages, disabled, created_at, updated_at FROM users;

    CREATE TEMP TABLE bindings AS
      SELECT id AS user_id, bound_org_id AS org_id, updated_at FROM users
      WHERE role = 'user' AND bound_org_id IS NOT NULL;

    -- Kept aside while users is replaced: a table referencing "users" by name would follow the old one.
    CREATE TEMP TABLE kept_sessions AS SELECT * FROM sessions;
    CREATE TEMP TABLE kept_api_tokens AS SELECT * FROM api_tokens;

    -- Children first, so dropping users cascades into nothing.
    DROP TABLE api_tokens;
    DROP TABLE sessions;
    DROP TABLE users;
    ALTER TABLE users_rebuilt RENAME TO users;

    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_user ON sessions (user_id);
    INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
      SELECT token_hash, user_id, created_at, expires_at FROM temp.kept_sessions;

    CREATE TABLE api_tokens (
      id           TEXT PRIMARY KEY,
      user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name         TEXT NOT NULL,
      token_hash   TEXT NOT NULL UNIQUE,
      prefix       TEXT NOT NULL,
      created_at   TEXT NOT NULL,
      expires_at   TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at   TEXT
    ) STRICT;
    CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
    INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked_at)
      SELECT id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked_at
      FROM temp.kept_api_tokens;
    DROP TABLE temp.kept_sessions;
    DROP TABLE temp.kept_api_tokens;

    CREATE TABLE memberships (
      user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      org_id     TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      role       TEXT NOT NULL CHECK (role IN ('manager', 'member', 'viewer', 'billing')),
      created_at TEXT NOT NULL,
      PRIMARY KEY (user_id, org_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX memberships_org ON memberships (org_id);
    INSERT INTO memberships (user_id, org_id, role, created_at)
      SELECT user_id, org_id, 'member', updated_at FROM temp.bindings;
    DROP TABLE temp.bindings;

    -- Invites into one or more memberships. Only the SHA-256 of the code is kept; the code itself is
    -- shown once, to whoever made the invite.
    CREATE TABLE invites (
      id          TEXT PRIMARY KEY,
      code_hash   TEXT NOT NULL UNIQUE,
      email       TEXT NOT NULL COLLATE NOCASE,
      invited_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      expires_at  TEXT NOT NULL,
      used_at     TEXT,
      used_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
      revoked_at  TEXT
    ) STRICT;
    CREATE INDEX invites_created ON invites (created_at);
    CREATE TABLE invite_memberships (
      invite_id TEXT NOT NULL REFERENCES invites (id) ON DELETE CASCADE,
      org_id    TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      role      TEXT NOT NULL CHECK (role IN ('manager', 'member', 'viewer', 'billing')),
      PRIMARY KEY (invite_id, org_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX invite_memberships_org ON invite_memberships (org_id);

    -- Single-use recovery codes of a second factor, as SHA-256 hashes only.
    CREATE TABLE recovery_codes (
      user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      code_hash TEXT NOT NULL,
      used_at   TEXT,
      PRIMARY KEY (user_id, code_hash)
    ) STRICT, WITHOUT ROWID;
  `,
};

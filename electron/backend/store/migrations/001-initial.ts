import type { Migration } from '../migrate';

export const initial: Migration = {
  version: 1,
  name: 'organizations, console users and sessions',
  sql: `
    CREATE TABLE orgs (
      id          TEXT PRIMARY KEY,
      slug        TEXT NOT NULL UNIQUE,
      name        TEXT NOT NULL,
      is_owner    INTEGER NOT NULL DEFAULT 0 CHECK (is_owner IN (0, 1)),
      timezone    TEXT NOT NULL DEFAULT 'UTC',
      rate_micros INTEGER NOT NULL DEFAULT 0 CHECK (rate_micros >= 0),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX orgs_single_owner ON orgs (is_owner) WHERE is_owner = 1;
    CREATE INDEX orgs_name ON orgs (name COLLATE NOCASE);

    CREATE TABLE users (
      id            TEXT PRIMARY KEY,
      email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name          TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'user')),
      password_hash TEXT NOT NULL,
      bound_org_id  TEXT REFERENCES orgs (id),
      disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_user ON sessions (user_id);
  `,
};

import type { Migration } from '../migrate';

export const sharedServerState: Migration = {
  version: 23,
  name: 'Sign-in failures and unfinished uploads in the store, so servers sharing a database share them',
  sql: `
    -- Failed sign-ins per limit (services/sign-in-limits.ts) and key: an email, a client address, a
    -- session token's or a device secret's hash. The account-at-address limit counts an email (key)
    -- per client address (address); the other limits leave address empty. Belongs to no org.
    CREATE TABLE sign_in_failures (
      kind           TEXT NOT NULL CHECK (kind IN ('accountAtAddress', 'account', 'client', 'session', 'knownDevice')),
      key            TEXT NOT NULL,
      address        TEXT NOT NULL DEFAULT '',
      failures       INTEGER NOT NULL CHECK (failures > 0),
      last_failed_at TEXT NOT NULL,
      PRIMARY KEY (kind, key, address)
    ) STRICT;
    CREATE INDEX sign_in_failures_age ON sign_in_failures (kind, last_failed_at);

    -- A file being sent in chunks by one user (services/uploads-service.ts). The bytes received so
    -- far are a file beside the store (SQLite) or the upload's chunks (PostgreSQL).
    CREATE TABLE uploads (
      id             TEXT PRIMARY KEY,
      user_id        TEXT REFERENCES users (id) ON DELETE CASCADE,
      purpose        TEXT CHECK (purpose IN ('usage', 'knowledge', 'archive')),
      file_name      TEXT NOT NULL,
      size           INTEGER NOT NULL CHECK (size >= 0),
      received       INTEGER NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),
      last_active_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX uploads_user ON uploads (user_id);
  `,
};

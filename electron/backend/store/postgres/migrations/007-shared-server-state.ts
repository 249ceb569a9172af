import type { PostgresMigration } from '../migrate';

/**
 * SQLite's migration 23: what servers sharing the database must share beyond sessions and tokens.
 * No org owns these rows (a sign-in is tried before any org is named; an upload is its user's until
 * an import files it under an org), so they are shared tables outside row-level security, like
 * sessions. An upload's bytes are rows here too: servers behind one load balancer share nothing but
 * the database, and the next chunk may reach another server.
 */
export const sharedServerState: PostgresMigration = {
  version: 7,
  name: 'Sign-in failures, unfinished uploads and their chunks (SQLite migration 23)',
  sql: `
    CREATE TABLE sign_in_failures (
      kind           text NOT NULL CHECK (kind IN ('accountAtAddress', 'account', 'client', 'session', 'knownDevice')),
      key            text NOT NULL,
      address        text NOT NULL DEFAULT '',
      failures       integer NOT NULL CHECK (failures > 0),
      last_failed_at text NOT NULL,
      PRIMARY KEY (kind, key, address)
    );
    CREATE INDEX sign_in_failures_age ON sign_in_failures (kind, last_failed_at);

    CREATE TABLE uploads (
      id             text PRIMARY KEY,
      user_id        text REFERENCES users (id) ON DELETE CASCADE,
      purpose        text CHECK (purpose IN ('usage', 'knowledge', 'archive')),
      file_name      text NOT NULL,
      size           bigint NOT NULL CHECK (size >= 0),
      received       bigint NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),
      last_active_at text NOT NULL
    );
    CREATE INDEX uploads_user ON uploads (user_id);

    -- The bytes of an unfinished upload, one row per chunk, keyed by the offset it starts at.
    CREATE TABLE upload_chunks (
      upload_id text NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
      start     bigint NOT NULL CHECK (start >= 0),
      data      bytea NOT NULL,
      PRIMARY KEY (upload_id, start)
    );
  `,
};

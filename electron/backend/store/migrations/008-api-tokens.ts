import type { Migration } from '../migrate';

export const apiTokens: Migration = {
  version: 8,
  name: 'API tokens for programmatic clients, stored as hashes',
  sql: `
    -- Only the SHA-256 of a secret is kept; prefix is its first characters, for telling tokens apart.
    -- Deleting a user deletes their tokens: a token never outlives the account it acts as.
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
  `,
};

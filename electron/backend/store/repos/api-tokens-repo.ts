import type { Db } from '../engine';

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function createApiTokensRepo(db: Db) {
  const insert = db.prepare<ApiTokenRow>(
    `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked_at)
     VALUES (:id, :user_id, :name, :token_hash, :prefix, :created_at, :expires_at, :last_used_at, :revoked_at)`,
  );
  const live = db.prepare<{ token_hash: string; now: string }, ApiTokenRow>(
    'SELECT * FROM api_tokens WHERE token_hash = :token_hash AND revoked_at IS NULL AND expires_at > :now',
  );
  const byId = db.prepare<{ id: string }, ApiTokenRow>('SELECT * FROM api_tokens WHERE id = :id');
  const forUser = db.prepare<{ user_id: string }, ApiTokenRow>(
    'SELECT * FROM api_tokens WHERE user_id = :user_id ORDER BY created_at DESC, id',
  );
  const revoke = db.prepare<{ id: string; at: string }>(
    'UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL',
  );
  const revokeForUser = db.prepare<{ user_id: string; at: string }>(
    'UPDATE api_tokens SET revoked_at = :at WHERE user_id = :user_id AND revoked_at IS NULL',
  );
  const unexpired = db.prepare<{ now: string }, Pick<ApiTokenRow, 'id' | 'created_at' | 'expires_at'>>(
    'SELECT id, created_at, expires_at FROM api_tokens WHERE revoked_at IS NULL AND expires_at > :now',
  );
  const setExpiry = db.prepare<{ id: string; expires_at: string }>(
    'UPDATE api_tokens SET expires_at = :expires_at WHERE id = :id',
  );
  const touch = db.prepare<{ id: string; at: string }>(
    'UPDATE api_tokens SET last_used_at = :at WHERE id = :id',
  );

  return {
    insert: (row: ApiTokenRow) => void insert.run(row),
    /** The token with this hash if it is neither revoked nor expired at `now`. */
    live: (tokenHash: string, now: string) => live.get({ token_hash: tokenHash, now }),
    byId: (id: string) => byId.get({ id }),
    forUser: (userId: string) => forUser.all({ user_id: userId }),
    revoke: (id: string, at: string) => void revoke.run({ id, at }),
    /** Revokes every token of the user not yet revoked; how many. */
    revokeForUser: (userId: string, at: string) => revokeForUser.run({ user_id: userId, at }).changes,
    /** Tokens neither revoked nor expired at `now`. */
    unexpired: (now: string) => unexpired.all({ now }),
    setExpiry: (id: string, expiresAt: string) => void setExpiry.run({ id, expires_at: expiresAt }),
    touch: (id: string, at: string) => void touch.run({ id, at }),
  };
}

export type ApiTokensRepo = ReturnType<typeof createApiTokensRepo>;

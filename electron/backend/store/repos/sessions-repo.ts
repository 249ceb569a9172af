import type { Db } from '../engine';

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export function createSessionsRepo(db: Db) {
  const insert = db.prepare<SessionRow>(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (:token_hash, :user_id, :created_at, :expires_at)',
  );
  const live = db.prepare<{ token_hash: string; now: string }, SessionRow>(
    'SELECT * FROM sessions WHERE token_hash = :token_hash AND expires_at > :now',
  );
  const remove = db.prepare<{ token_hash: string }>('DELETE FROM sessions WHERE token_hash = :token_hash');
  const purge = db.prepare<{ now: string }>('DELETE FROM sessions WHERE expires_at <= :now');
  const removeForUser = db.prepare<{ user_id: string }>('DELETE FROM sessions WHERE user_id = :user_id');
  const removeAll = db.prepare('DELETE FROM sessions');
  const unexpired = db.prepare<{ now: string }, Pick<SessionRow, 'token_hash' | 'created_at' | 'expires_at'>>(
    'SELECT token_hash, created_at, expires_at FROM sessions WHERE expires_at > :now',
  );
  const setExpiry = db.prepare<{ token_hash: string; expires_at: string }>(
    'UPDATE sessions SET expires_at = :expires_at WHERE token_hash = :token_hash',
  );

  return {
    insert: (row: SessionRow) => void insert.run(row),
    live: (tokenHash: string, now: string) => live.get({ token_hash: tokenHash, now }),
    remove: (tokenHash: string) => void remove.run({ token_hash: tokenHash }),
    purgeExpired: (now: string) => purge.run({ now }).changes,
    /** Ends every session of the user; how many. */
    removeForUser: (userId: string) => removeForUser.run({ user_id: userId }).changes,
    /** Sessions not expired at `now`. */
    unexpired: (now: string) => unexpired.all({ now }),
    setExpiry: (tokenHash: string, expiresAt: string) =>
      void setExpiry.run({ token_hash: tokenHash, expires_at: expiresAt }),
    /** Everyone signs in again, e.g. after a restore brought back other users and passwords. */
    removeAll: () => void removeAll.run(),
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;

import type { Db } from '../engine';

export function createRecoveryCodesRepo(db: Db) {
  const clear = db.prepare<{ user_id: string }>('DELETE FROM recovery_codes WHERE user_id = :user_id');
  const insert = db.prepare<{ user_id: string; code_hash: string }>(
    'INSERT INTO recovery_codes (user_id, code_hash) VALUES (:user_id, :code_hash)',
  );
  const spend = db.prepare<{ user_id: string; code_hash: string; now: string }>(
    `UPDATE recovery_codes SET used_at = :now
     WHERE user_id = :user_id AND code_hash = :code_hash AND used_at IS NULL`,
  );
  const left = db.prepare<{ user_id: string }, { n: number }>(
    'SELECT count(*) AS n FROM recovery_codes WHERE user_id = :user_id AND used_at IS NULL',
  );

  return {
    /** Replaces the user's codes with these (or none). */
    replace(userId: string, codeHashes: string[]): void {
      clear.run({ user_id: userId });
      for (const codeHash of codeHashes) insert.run({ user_id: userId, code_hash: codeHash });
    },
    spend: (userId: string, codeHash: string, now: string) =>
      spend.run({ user_id: userId, code_hash: codeHash, now }).changes > 0,
    left: (userId: string) => left.get({ user_id: userId })?.n ?? 0,
  };
}

import { createHash } from 'node:crypto';
import { type Db, onPostgres } from '../engine';

/** The limits of services/sign-in-limits.ts. */
export type SignInLimitKind = 'accountAtAddress' | 'account' | 'client' | 'session' | 'knownDevice';

/** The advisory lock space of sign-in counts (the two-integer form: apart from any one-bigint key). */
const SIGN_IN_COUNTS = 0x5349_474e;
/** Takes count `:key`'s transaction-level advisory lock (countLockKey). */
export const LOCK_COUNT = `SELECT pg_advisory_xact_lock(${SIGN_IN_COUNTS}, :key)`;

/**
 * A count's advisory lock key: the first 32 bits (signed) of the SHA-256 of its kind, key and
 * address, NUL between them (collisions only share a lock). COUNT_LOCK_KEY_SQL is the same of a row.
 */
export function countLockKey({ kind, key, address }: FailureKey): number {
  return createHash('sha256').update(`${kind}\u0000${key}\u0000${address}`).digest().readInt32BE(0);
}
const COUNT_LOCK_KEY_SQL = `('x' || left(encode(sha256(convert_to(kind, 'UTF8') || '\\x00'::bytea
  || convert_to(key, 'UTF8') || '\\x00'::bytea || convert_to(address, 'UTF8')), 'hex'), 8))::bit(32)::int`;
/** Forgotten counts one sweep removes at most (a failed attempt adds four at most). */
const SWEEP_ROWS = 20;

/** What a sign-in failure counts against: a limit and its key. */
export interface FailureKey {
  kind: SignInLimitKind;
  key: string;
  /** The client address, for the limit that counts an account per address; '' for the others. */
  address: string;
}

export interface FailureCount {
  failures: number;
  last_failed_at: string;
}

/**
 * Failed sign-ins in the store, so servers sharing a database count them together: an attacker
 * gains nothing by spreading guesses over them. Each failure is one statement, safe to run on two
 * servers at once; a transaction that checks or changes counts locks them first (`lock`).
 */
export function createSignInFailuresRepo(db: Db) {
  const lockOne = onPostgres(db) ? db.prepare<{ key: number }>(LOCK_COUNT) : undefined;
  const count = db.prepare<FailureKey, FailureCount>(
    `SELECT failures, last_failed_at FROM sign_in_failures
     WHERE kind = :kind AND key = :key AND address = :address`,
  );
  // A count whose last failure is forgotten starts again at one.
  const fail = db.prepare<FailureKey & { at: string; forgotten: string }>(
    `INSERT INTO sign_in_failures (kind, key, address, failures, last_failed_at)
     VALUES (:kind, :key, :address, 1, :at)
     ON CONFLICT (kind, key, address) DO UPDATE SET
       failures = CASE WHEN sign_in_failures.last_failed_at <= :forgotten THEN 1
                       ELSE sign_in_failures.failures + 1 END,
       last_failed_at = :at`,
  );
  const forgive = db.prepare<FailureKey>(
    'DELETE FROM sign_in_failures WHERE kind = :kind AND key = :key AND address = :address',
  );
  // A count holds one failure at least (its CHECK): the last one taken back takes the count with it.
  const dropLast = db.prepare<FailureKey>(
    `DELETE FROM sign_in_failures
     WHERE kind = :kind AND key = :key AND address = :address AND failures <= 1`,
  );
  // The count's last failure goes back to the one before, unless another has been counted since.
  const takeBack = db.prepare<FailureKey & { at: string; before: string }>(
    `UPDATE sign_in_failures SET failures = failures - 1,
       last_failed_at = CASE WHEN last_failed_at = :at THEN :before ELSE last_failed_at END
     WHERE kind = :kind AND key = :key AND address = :address AND failures > 1`,
  );
  // A count another server's attempt holds (its lock, or its row) is left for a later sweep: taken
  // from under it, that attempt's count would wait for this one while this one's waits for a count
  // the other swept (a deadlock). The lock is tried (never waited for) before the row is locked, and
  // only of forgotten counts (the cheaper tests come first), SWEEP_ROWS a sweep at most, each kept
  // to the end of the transaction (no ORDER BY: sorting would try every forgotten count's first).
  // SQLite's one writer orders them already.
  const sweep = db.prepare<{ kind: SignInLimitKind; forgotten: string }>(
    onPostgres(db)
      ? `DELETE FROM sign_in_failures WHERE (kind, key, address) IN (
           SELECT kind, key, address FROM sign_in_failures
           WHERE kind = :kind AND last_failed_at <= :forgotten
             AND pg_try_advisory_xact_lock(${SIGN_IN_COUNTS}, ${COUNT_LOCK_KEY_SQL})
           LIMIT ${SWEEP_ROWS} FOR UPDATE SKIP LOCKED)`
      : 'DELETE FROM sign_in_failures WHERE kind = :kind AND last_failed_at <= :forgotten',
  );

  return {
    /**
     * First in a transaction that reads or changes these counts: on PostgreSQL, waits for another
     * server's transaction on any of them to end, and holds them to this one's end. Without it a
     * check would not see an attempt another server is counting (READ COMMITTED), letting as many
     * attempts past a limit as there are servers. Taken in one order everywhere (their lock keys,
     * ascending), so two transactions never wait for each other; a count not yet in the table is
     * locked too. SQLite's one writer orders them already.
     */
    lock(keys: readonly FailureKey[]): void {
      if (lockOne === undefined) return;
      const lockKeys = [...new Set(keys.map(countLockKey))].sort((a, b) => a - b);
      for (const key of lockKeys) lockOne.run({ key });
    },
    /** The key's failures, forgotten or not (the caller's rule says when they are). */
    count: (key: FailureKey) => count.get(key),
    /** One more failure at `at`; a count last failed at or before `forgotten` starts afresh. */
    fail: (key: FailureKey, at: string, forgotten: string) => void fail.run({ ...key, at, forgotten }),
    forgive: (key: FailureKey) => void forgive.run(key),
    /**
     * One failure fewer: an attempt counted at `at`, before its password was checked, that was no
     * failure. The count's last failure is again `before`, the one it had then, so a taken-back
     * attempt neither restarts its wait nor keeps it from being forgotten.
     */
    takeBack(key: FailureKey, at: string, before: string): void {
      dropLast.run(key);
      takeBack.run({ ...key, at, before });
    },
    /** Removes a limit's forgotten counts, so guesses from many addresses do not pile up. */
    sweep: (kind: SignInLimitKind, forgotten: string) => sweep.run({ kind, forgotten }).changes,
  };
}

export type SignInFailuresRepo = ReturnType<typeof createSignInFailuresRepo>;

import { type Db, onPostgres } from '../engine';

/** The limits of services/sign-in-limits.ts. */
export type SignInLimitKind = 'accountAtAddress' | 'account' | 'client' | 'session' | 'knownDevice';

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
 * servers at once; a count read to check a limit is locked until the check's failure is counted.
 */
export function createSignInFailuresRepo(db: Db) {
  // On PostgreSQL the count is locked until the caller's transaction ends: another server's attempt
  // counted meanwhile would otherwise go unseen (READ COMMITTED) by a check that then counts its own,
  // letting as many attempts past a limit as there are servers. SQLite's one writer orders them.
  const count = db.prepare<FailureKey, FailureCount>(
    `SELECT failures, last_failed_at FROM sign_in_failures
     WHERE kind = :kind AND key = :key AND address = :address${onPostgres(db) ? ' FOR UPDATE' : ''}`,
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
  // A count another server's attempt holds (its check above) is left for a later sweep: waiting for
  // it, two servers sweeping each other's could wait for each other (a deadlock).
  const sweep = db.prepare<{ kind: SignInLimitKind; forgotten: string }>(
    onPostgres(db)
      ? `DELETE FROM sign_in_failures WHERE (kind, key, address) IN (
           SELECT kind, key, address FROM sign_in_failures WHERE kind = :kind AND last_failed_at <= :forgotten
           FOR UPDATE SKIP LOCKED)`
      : 'DELETE FROM sign_in_failures WHERE kind = :kind AND last_failed_at <= :forgotten',
  );

  return {
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

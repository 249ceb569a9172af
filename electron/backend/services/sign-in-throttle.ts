/**
 * How a run of failed sign-ins slows a key down: after `freeFailures` failures the next attempt
 * waits `firstDelayMs`, and each further failure doubles the wait, up to `maxDelayMs`. A key with
 * no failure for `forgetAfterMs` starts afresh.
 */
export interface BackoffRule {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
}

interface Failures {
  count: number;
  lastAt: number;
}

/** Past this many keys a failure sweeps out the forgotten ones, so guesses from many addresses cannot grow memory without end. */
const SWEEP_ABOVE_KEYS = 10_000;

/** The wait a key has earned after `count` failures. */
export function backoffDelay(rule: BackoffRule, count: number): number {
  if (count < rule.freeFailures) return 0;
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** Math.min(count - rule.freeFailures, 30));
}

/**
 * Counts failed sign-ins per key with growing delays. Kept in memory: a restart forgives, which is
 * fine for a throttle whose job is to slow guessing down, not to lock anyone out.
 */
export function createSignInThrottle(rule: BackoffRule) {
  const failures = new Map<string, Failures>();

  function current(key: string, now: number): Failures | undefined {
    const entry = failures.get(key);
    if (entry && now - entry.lastAt >= rule.forgetAfterMs) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    /** Milliseconds until the key may try again, or 0 when it may try now. */
    retryAfter(key: string, now: number): number {
      const entry = current(key, now);
      return entry ? Math.max(0, entry.lastAt + backoffDelay(rule, entry.count) - now) : 0;
    },
    fail(key: string, now: number): void {
      if (failures.size > SWEEP_ABOVE_KEYS) for (const stale of [...failures.keys()]) current(stale, now);
      const entry = current(key, now);
      failures.set(key, { count: (entry?.count ?? 0) + 1, lastAt: now });
    },
    succeed(key: string): void {
      failures.delete(key);
    },
    /** Whether nothing is remembered any more (for sweeping a map of throttles). */
    isEmpty: () => failures.size === 0,
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

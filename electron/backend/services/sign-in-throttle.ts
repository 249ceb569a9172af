export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000 };

/** Past this many keys a failure sweeps out the stale ones, so guesses from many addresses cannot grow memory without end. */
const SWEEP_ABOVE_KEYS = 10_000;

/**
 * Counts failed sign-ins per key (the email) in a sliding window. Kept in memory: a restart
 * forgives, which is fine for a throttle whose job is to slow guessing down.
 */
export function createSignInThrottle(rule: ThrottleRule = DEFAULT_THROTTLE) {
  const failures = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const kept = (failures.get(key) ?? []).filter((at) => now - at < rule.windowMs);
    if (kept.length > 0) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  }

  return {
    /** Milliseconds until the key may try again, or 0 when it may try now. */
    retryAfter(key: string, now: number): number {
      const kept = recent(key, now);
      const oldest = kept[0];
      return kept.length >= rule.maxFailures && oldest !== undefined ? oldest + rule.windowMs - now : 0;
    },
    fail(key: string, now: number): void {
      if (failures.size > SWEEP_ABOVE_KEYS) for (const stale of [...failures.keys()]) recent(stale, now);
      failures.set(key, [...recent(key, now), now]);
    },
    succeed(key: string): void {
      failures.delete(key);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

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

/** The wait a key has earned after `count` failures. */
export function backoffDelay(rule: BackoffRule, count: number): number {
  if (count < rule.freeFailures) return 0;
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** Math.min(count - rule.freeFailures, 30));
}

/** Milliseconds until a key with `failures`, the last at `lastAt`, may try again; 0 when it may now. */
export function retryAfter(rule: BackoffRule, failures: number, lastAt: number, now: number): number {
  if (now - lastAt >= rule.forgetAfterMs) return 0;
  return Math.max(0, lastAt + backoffDelay(rule, failures) - now);
}

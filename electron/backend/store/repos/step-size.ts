/**
 * How long one step of a rewrite done in steps should take. The writer ends its write after a
 * step once WRITE_MS (usage-rewrites.ts) has passed, so a fast call waits for about that plus one
 * step: steps must stay short however large the store (`npm run bench -- host`: an undo's fixed
 * 8,000 daily rows a step took 45-65 ms at 2M imported rows, and writes waited up to 252 ms at 10M).
 */
export const STEP_MS = 25;

/**
 * The size of a step (rows, keys) that keeps it near STEP_MS: starts at `initial` and, after each
 * step, scales by how far its time was from STEP_MS (at most halved or doubled at once, so one
 * step slowed by the machine swings it little), within `min` and `max`.
 */
export function stepSize(initial: number, min: number, max: number) {
  let size = initial;
  return {
    get size(): number {
      return size;
    },
    /** Told how long a step of the current size took. */
    took(ms: number): void {
      const scale = Math.min(2, Math.max(0.5, STEP_MS / Math.max(ms, 0.01)));
      size = Math.round(Math.min(max, Math.max(min, size * scale)));
    },
  };
}

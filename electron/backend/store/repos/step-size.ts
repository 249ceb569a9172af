/**
 * How long one step of a rewrite done in steps should take. A write of steps runs another only
 * while it expects to end within WRITE_MS (usage-rewrites.ts), taking the last step's time for
 * the next one's, so a fast call waits for about WRITE_MS, or one step when that is longer: steps
 * must stay short however large the store. (`npm run bench -- host`: an undo's fixed 8,000 daily
 * rows a step, never less than a whole day of a model, took 45-65 ms at 2M imported rows and
 * 30-60 ms at 10M, where a day holds ~11,000; writes beside it waited up to 252 ms.)
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

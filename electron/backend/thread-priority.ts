import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Nice values of the backend's threads. On two cores, every thread at work takes turns with the
 * window's (or the HTTP loop's) thread; the scheduler gives a thread CPU by its weight, which falls
 * about 1.25 times per nice step (within one session: Linux's autogroups weigh sessions apart).
 * The threads that answer calls sit a little below the main thread, and the ones that only do slow
 * work (reports, usage imports and their file readers, text extraction) below those: a fast call's
 * thread is scheduled first, and the slow work only takes longer when the CPU is short.
 */
export const THREAD_NICE = {
  /** The host's writer and the readers of quick calls. */
  calls: 5,
  /**
   * Threads that only run slow work: a third of a call thread's weight. Not lower: on a shared
   * machine other programs' threads (at 0) would leave an import or an extraction almost no CPU.
   */
  slowWork: 10,
} as const;

/**
 * Lowers the calling thread's priority to `nice` (it never raises it: without privileges a thread
 * cannot). Linux gives each thread its own nice value, named by the thread's id; elsewhere a nice
 * value is the whole process's, the window's thread included, so there this does nothing, as it
 * does when the system refuses.
 */
export function lowerThisThreadPriority(nice: number): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {}
}

// How long an event loop could not run a callback that was due: the bench's "stall" figures.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Node samples the loop with a timer every RESOLUTION_MS and records the time between two of its
 * callbacks, so every sample includes the period itself (an idle loop records ~RESOLUTION_MS): the
 * stall is a sample minus the period. 1 ms keeps what that leaves within 1 ms of the real block
 * (at Node's default of 10 ms a 30 ms block reads anywhere from 30 to 40 ms).
 */
const RESOLUTION_MS = 1;

/** The longest stall, in ms to a tenth, from a histogram's longest sample in ns. */
const stallFrom = (maxNs: number) => Number(Math.max(0, maxNs / 1e6 - RESOLUTION_MS).toFixed(1));

/** Starts measuring this thread's event loop; `longestMs` stops and gives the longest stall. */
export function measureStalls() {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  return {
    longestMs(): number {
      delay.disable();
      return stallFrom(delay.max);
    },
  };
}

/** What the idle process prints once it measures, before its figure. */
export const IDLE_PROCESS_READY = 'measuring\n';

/**
 * The code a process of its own runs to measure its loop until its stdin ends, then print its
 * longest stall (ms): an idle process's figure is what the shared machine's scheduler alone adds.
 */
export const IDLE_PROCESS_SCRIPT = `
  const delay = require('node:perf_hooks').monitorEventLoopDelay({ resolution: ${RESOLUTION_MS} });
  delay.enable();
  process.stdout.write(${JSON.stringify(IDLE_PROCESS_READY)});
  process.stdin
    .on('end', () => process.stdout.write(String(Math.max(0, delay.max / 1e6 - ${RESOLUTION_MS}))))
    .resume();`;

import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { JobOwner } from './store/repos/jobs-repo';

function readOr(read: () => string): string {
  try {
    return read().trim();
  } catch {
    return '';
  }
}

/**
 * Where a pid means the same process: the machine's name, and on Linux its boot and its pid
 * namespace, so two machines (or two containers) given one name still differ, and a restarted
 * machine's pids are not taken for the old ones.
 */
const THIS_HOST = [
  hostname(),
  readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
  readOr(() => readlinkSync('/proc/self/ns/pid')),
].join(' ');

/** This process, in this run (a thread of its own draws another: a worker restarted is a new run). */
export const THIS_PROCESS: JobOwner = { host: THIS_HOST, pid: process.pid, run: randomUUID() };

/** How often a process says it still runs its imports (writes their `beat_at`). */
export const BEAT_EVERY_MS = 15_000;

/**
 * How long another machine's import may go unheard before it counts as cut off. Far above the
 * beat: a busy server's beat waits its turn on the connection, and servers' clocks differ a little.
 * One taken for cut off wrongly stops at its next write (JOB_NO_LONGER_RUNNING).
 */
export const SILENT_FOR_MS = 120_000;

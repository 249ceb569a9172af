// What the speed scripts (bench, page-load, start-up) report beside their figures.
import { loadavg } from 'node:os';

/** The middle of `times` (the upper one of an even count); 0 for none. */
export const medianOf = (times: number[]): number =>
  [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;

/** The load averages over 1, 5 and 15 minutes, as `uptime` prints them: a figure's context on a shared machine. */
export const loadAverage = (): number[] => loadavg().map((load) => Number(load.toFixed(2)));

/** The same, as a line says it. */
export const loadAverageText = (): string =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

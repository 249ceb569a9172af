/**
 * Numbers as the console shows them: counts with thousands separators and real plurals, shares as
 * "64.4%". Money is in money.ts (decimal text, never a float), times in time.tsx.
 */

import { lazily } from './lazily';

const grouped = lazily(() => new Intl.NumberFormat('en-US'));

/** 52340 → "52,340". */
export function formatCount(count: number): string {
  return grouped().format(count);
}

/** "1 organization", "7 organizations", "1,204 entries" (`many` for irregular plurals). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** A fraction (0.6875) as "68.8%"; null (no revenue, nothing to divide by) → "—". */
export function percent(fraction: number | null): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(1)}%`;
}

/** A share in whole percent, rounded down so 79.99 % never reads as a threshold of 80 %. */
export function wholePercent(fraction: number): string {
  return `${Math.floor(Math.round(fraction * 10_000) / 100)}%`;
}

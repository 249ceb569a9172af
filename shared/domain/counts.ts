/**
 * Counts as the console, the CLI and the server's messages write them: thousands separators and
 * real plurals ("1 organization", "7 organizations"), never "organization(s)".
 */

import { lazily } from '../lazily';

const grouped = lazily(() => new Intl.NumberFormat('en-US'));

/** 52340 → "52,340". */
export function formatCount(count: number): string {
  return grouped().format(count);
}

/** "1 organization", "7 organizations", "1,204 entries" (`many` for irregular plurals). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

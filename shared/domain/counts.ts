/**
 * Counts as the console, the CLI and the server's messages write them: thousands separators and
 * real plurals ("1 organization", "7 organizations"), never "organization(s)".
 */

/**
 * Made the first time a count is written: a page's first Intl object sets up the locale data
 * (20-40 ms on a busy machine), which would otherwise delay every cold start as this module loads.
 */
let grouped: Intl.NumberFormat | undefined;

/** 52340 → "52,340". */
export function formatCount(count: number): string {
  grouped ??= new Intl.NumberFormat('en-US');
  return grouped.format(count);
}

/** "1 organization", "7 organizations", "1,204 entries" (`many` for irregular plurals). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

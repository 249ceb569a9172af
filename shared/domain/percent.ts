/**
 * Percentages as the console, the CLI and the server's messages write them: "64.4%", no space
 * before the sign, whichever side composes the text.
 */

/** A fraction (0.6875) as "68.8%"; null (no revenue, nothing to divide by) → "—". */
export function percent(fraction: number | null): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(1)}%`;
}

/** A share in whole percent, rounded down so 79.99% never reads as a threshold of 80%. */
export function wholePercent(fraction: number): string {
  return `${Math.floor(Math.round(fraction * 10_000) / 100)}%`;
}

/** A percentage kept as exact decimal text (a markup of "12.5") as "12.5%". */
export function decimalPercent(value: string): string {
  return `${value}%`;
}

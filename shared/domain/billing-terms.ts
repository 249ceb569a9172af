/**
 * Billing terms with history. Every term (an org's rate, billing mode, usage markup, included usage
 * and minimum; an agent's own rate; a model's markup override) is a timeline: a value from the
 * beginning, then dated changes, each in effect from 00:00 UTC of its day until the next one.
 *
 * How a month reads them (README "Billing"):
 * - monthly terms are read on the month's first day: the billing mode, the included usage, the
 *   minimum, and the rate a full_month agent is billed (a change dated mid-month counts from the
 *   next month in those);
 * - prorated rates and usage markups are read moment by moment: a change on the 15th splits the
 *   month there, each part at its own rate or markup.
 */
export interface Timeline<T> {
  base: T;
  /** Ascending by `from`, a UTC day (YYYY-MM-DD). */
  changes: { from: string; value: T }[];
}

export const constant = <T>(value: T): Timeline<T> => ({ base: value, changes: [] });

/** The value in effect on a UTC day. */
export function valueOn<T>(timeline: Timeline<T>, day: string): T {
  let value = timeline.base;
  for (const change of timeline.changes) {
    if (change.from > day) break;
    value = change.value;
  }
  return value;
}

/** The instants (epoch ms) in (from, to) at which the timeline changes. */
export function changesWithin<T>(timeline: Timeline<T>, from: number, to: number): number[] {
  const found: number[] = [];
  for (const change of timeline.changes) {
    const at = Date.parse(`${change.from}T00:00:00Z`);
    if (at > from && at < to) found.push(at);
  }
  return found;
}

/** [from, to) parts of a window cut at every change of the given timelines, each with its first day. */
export function partsOf(
  timelines: Timeline<unknown>[],
  window: { from: number; to: number },
): { from: number; to: number; day: string }[] {
  const cuts = new Set<number>([window.from, window.to]);
  for (const timeline of timelines)
    for (const at of changesWithin(timeline, window.from, window.to)) cuts.add(at);
  const points = [...cuts].sort((a, b) => a - b);
  return points.slice(0, -1).map((from, index) => ({
    from,
    to: points[index + 1] as number,
    day: new Date(from).toISOString().slice(0, 10),
  }));
}

/** A markup in percent with up to 2 decimals ("12.5") as basis points (1250n); null if not one. */
export function markupBasisPoints(text: string): bigint | null {
  const match = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return BigInt(match[1] as string) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** Basis points as a percent without trailing zeros: 1250 → "12.5". */
export function markupText(basisPoints: number | bigint): string {
  const value = BigInt(basisPoints);
  const fraction = (value % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${value / 100n}${fraction ? `.${fraction}` : ''}`;
}

/**
 * The months a term changed from `from` touches, as YYYY-MM: from the month it takes effect in to
 * the month before the term's next change takes over (null: every month on). A monthly term
 * (billing mode, included usage, minimum, a full_month rate) dated after the 1st takes effect the
 * next month.
 */
export function monthsTouched(
  from: string,
  nextChange: string | null,
  monthly: boolean,
): { first: string; last: string | null } {
  const monthAfter = (month: string) => {
    const [year, index] = month.split('-').map(Number) as [number, number];
    return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
  };
  const monthBefore = (month: string) => {
    const [year, index] = month.split('-').map(Number) as [number, number];
    return index === 1 ? `${year - 1}-12` : `${year}-${String(index - 1).padStart(2, '0')}`;
  };
  const startsIn = (day: string) =>
    monthly && !day.endsWith('-01') ? monthAfter(day.slice(0, 7)) : day.slice(0, 7);
  const first = startsIn(from);
  if (nextChange === null) return { first, last: null };
  // The next change takes over in its own starting month; the months before are this change's, and
  // so is part of the next change's month when that change is dated after the 1st and read day by day.
  const takesOver = startsIn(nextChange);
  const last = !monthly && !nextChange.endsWith('-01') ? takesOver : monthBefore(takesOver);
  if (last < first) return { first, last: first };
  return { first, last };
}

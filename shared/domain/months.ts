/** UTC calendar months, as "YYYY-MM". */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function monthStart(month: string): number {
  const [year, mon] = month.split('-').map(Number);
  return Date.UTC(year as number, (mon as number) - 1, 1);
}

export function nextMonth(month: string): string {
  const date = new Date(monthStart(month));
  date.setUTCMonth(date.getUTCMonth() + 1);
  return monthOf(date.getTime());
}

export function monthOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}

/** [start, end) of the month in epoch milliseconds. */
export function monthBounds(month: string): [number, number] {
  return [monthStart(month), monthStart(nextMonth(month))];
}

/** The `count` months ending with `last`, oldest first. */
export function monthsEndingWith(last: string, count: number): string[] {
  const months = [last];
  while (months.length < count) {
    const date = new Date(monthStart(months[0] as string));
    date.setUTCMonth(date.getUTCMonth() - 1);
    months.unshift(monthOf(date.getTime()));
  }
  return months;
}

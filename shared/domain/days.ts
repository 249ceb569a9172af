/** Calendar days as "YYYY-MM-DD", and the instant each one starts in a given time zone. */
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a UTC day. */
export const DAY_MS = 86_400_000;

export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const parts = (day: string) => day.split('-').map(Number) as [number, number, number];

export function nextDay(day: string): string {
  const [year, month, date] = parts(day);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `at` (whole seconds), in ms. */
function offsetAt(at: number, timeZone: string): number {
  const fields = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(fields.find((part) => part.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/** The UTC instant at which `day` begins in `timeZone` (an IANA name). */
export function dayStartIn(day: string, timeZone: string): Date {
  const [year, month, date] = parts(day);
  const midnight = Date.UTC(year, month - 1, date);
  const guess = midnight - offsetAt(midnight, timeZone);
  // The offset at midnight UTC may differ from the one at local midnight across a DST change.
  const start = midnight - offsetAt(guess, timeZone);
  // Where the clocks jump over local midnight (Santiago, Havana), there is none: the day begins at
  // the jump, which `guess` is when `start` still falls on the day before.
  return new Date(start + offsetAt(start, timeZone) < midnight ? guess : start);
}

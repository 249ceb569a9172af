import { monthOf, monthStart, monthsEndingWith, nextMonth } from '../../../../shared/domain/months';
import { lazily } from '../../../../shared/lazily';

/** The UTC month now, as the backend counts months. */
export const currentMonth = () => monthOf(Date.now());

export const previousMonth = (month: string) => monthsEndingWith(month, 2)[0] as string;
export { nextMonth };

/** The months a picker offers: the last `count`, newest first. */
export const recentMonths = (count = 36) => monthsEndingWith(currentMonth(), count).reverse();

const longName = lazily(
  () => new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
);
const shortName = lazily(
  () => new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
);

/** "2026-09" → "September 2026". */
export const monthName = (month: string) => longName().format(new Date(monthStart(month)));
/** "2026-09" → "Sep 2026", for chart axes: a two-digit year reads as a day ("Dec 25"). */
export const monthShort = (month: string) => shortName().format(new Date(monthStart(month)));

import { type Db, onPostgres } from '../engine';

/**
 * Usage tables name days by their number since 1970-01-01 (UTC); the two engines spell the date
 * arithmetic differently, and only that.
 */
export interface DayNumbers {
  /** The day number of a 'YYYY-MM-DD' expression. */
  ofDate(date: string): string;
  /** The yyyymm month of a day number expression. */
  monthOf(day: string): string;
  /** The 'YYYY-MM-DD' of a day number expression. */
  dateOf(day: string): string;
}

const SQLITE_DAYS: DayNumbers = {
  ofDate: (date) => `unixepoch(${date}) / 86400`,
  monthOf: (day) => `CAST(strftime('%Y%m', ${day} * 86400, 'unixepoch') AS INTEGER)`,
  dateOf: (day) => `date(${day} * 86400, 'unixepoch')`,
};

const POSTGRES_DAYS: DayNumbers = {
  ofDate: (date) => `(CAST(${date} AS date) - DATE '1970-01-01')`,
  monthOf: (day) => `CAST(to_char(DATE '1970-01-01' + CAST(${day} AS integer), 'YYYYMM') AS integer)`,
  dateOf: (day) => `to_char(DATE '1970-01-01' + CAST(${day} AS integer), 'YYYY-MM-DD')`,
};

export const dayNumbersOn = (db: Db): DayNumbers => (onPostgres(db) ? POSTGRES_DAYS : SQLITE_DAYS);

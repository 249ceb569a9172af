import { DAY_MS } from '../../../shared/domain/days';
export interface Retention {
  /** The newest backups of this many distinct days are kept. */
  daily: number;
  /** Then the newest backup of this many more weeks (Monday to Sunday) that have one. */
  weekly: number;
}

export const DEFAULT_RETENTION: Retention = { daily: 7, weekly: 4 };

/** A real calendar day as YYYY-MM-DD (Date.parse alone takes 2026-02-30 for March 2nd). */
export function isDay(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** The Monday that starts the day's week, as YYYY-MM-DD: a week key that needs no ISO week-year. */
function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const sinceMonday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Which daily backups (by their UTC day, YYYY-MM-DD) to keep, borg-style: the newest `daily`
 * days that have a backup, then the newest backup of each of `weekly` further weeks. Counting
 * days that have backups, not calendar days, means a machine left off for a month still keeps
 * its last week of backups. A backup dated after `today` is always kept and counts for nothing:
 * the clock may be wrong now, not then.
 */
export function daysToKeep(
  days: readonly string[],
  today: string,
  retention = DEFAULT_RETENTION,
): Set<string> {
  for (const day of [...days, today]) if (!isDay(day)) throw new Error(`Not a day: ${day}`);
  const distinct = [...new Set(days)].sort().reverse();
  const keep = new Set(distinct.filter((day) => day > today));
  const past = distinct.filter((day) => day <= today);
  const dailies = past.slice(0, retention.daily);
  for (const day of dailies) keep.add(day);

  // As borg does: a week whose newest backup is already kept uses up that week, not a weekly slot.
  let weeklies = 0;
  let lastWeek: string | undefined;
  for (const day of past) {
    if (weeklies >= retention.weekly) break;
    const week = weekOf(day);
    if (week === lastWeek) continue;
    lastWeek = week;
    if (keep.has(day)) continue;
    keep.add(day);
    weeklies++;
  }
  return keep;
}

import { describe, expect, it } from 'vitest';
import { daysToKeep, isDay } from '../../../electron/backend/backups/retention';

/** Every day from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000)
    days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

const sorted = (days: Iterable<string>) => [...days].sort();

describe('which daily backups to keep', () => {
  it('keeps everything while there are fewer than seven', () => {
    const days = ['2026-01-07', '2025-12-01', '2025-06-15'];
    expect(sorted(daysToKeep(days, '2026-01-07'))).toEqual(sorted(days));
    expect(daysToKeep([], '2026-01-07').size).toBe(0);
  });

  it('keeps the last seven days and the newest of four weeks before them, across a year boundary', () => {
    // 2026-01-07 is a Wednesday; the week of Monday 2025-12-29 spans the new year.
    const keep = daysToKeep(daysBetween('2025-11-01', '2026-01-07'), '2026-01-07');
    expect(sorted(keep)).toEqual([
      '2025-12-07',
      '2025-12-14',
      '2025-12-21',
      '2025-12-28',
      ...daysBetween('2026-01-01', '2026-01-07'),
    ]);
  });

  it('counts weeks across the end of a short February', () => {
    // 2026-03-02 is a Monday: its week and the one ending Sunday 03-01 are covered by the dailies.
    const keep = daysToKeep(daysBetween('2026-01-15', '2026-03-02'), '2026-03-02');
    expect(sorted(keep)).toEqual([
      '2026-02-01',
      '2026-02-08',
      '2026-02-15',
      '2026-02-22',
      ...daysBetween('2026-02-24', '2026-03-02'),
    ]);
  });

  it('keeps the last backups after a long gap instead of dropping them for being old', () => {
    // Nothing since October: the seven newest backups stay, then the newest of each earlier week.
    const keep = daysToKeep(daysBetween('2025-10-01', '2025-10-20'), '2026-01-07');
    expect(sorted(keep)).toEqual(['2025-10-05', '2025-10-12', ...daysBetween('2025-10-14', '2025-10-20')]);
  });

  it('treats the same day named twice as one backup', () => {
    const days = daysBetween('2025-11-01', '2026-01-07');
    const twice = [...days, ...days.slice(-10), '2026-01-07'];
    expect(sorted(daysToKeep(twice, '2026-01-07'))).toEqual(sorted(daysToKeep(days, '2026-01-07')));
  });

  it('never drops a backup dated after today when the clock has gone back', () => {
    // Backups were made up to 01-07, and now the clock says 01-03.
    const keep = daysToKeep(daysBetween('2025-11-01', '2026-01-07'), '2026-01-03');
    expect(sorted(keep)).toEqual([
      '2025-11-30',
      '2025-12-07',
      '2025-12-14',
      '2025-12-21',
      ...daysBetween('2025-12-28', '2026-01-07'),
    ]);
  });

  it('settles on seven daily and four weekly backups when pruned every day', () => {
    let kept = new Set<string>();
    for (const today of daysBetween('2026-01-01', '2026-04-30')) {
      kept = daysToKeep([...kept, today], today);
      expect(kept.has(today)).toBe(true);
      expect(kept.size).toBeLessThanOrEqual(11);
    }
    // 2026-04-30 is a Thursday: dailies 04-24..04-30; Sunday 04-26 covers its week.
    expect(sorted(kept)).toEqual([
      '2026-03-29',
      '2026-04-05',
      '2026-04-12',
      '2026-04-19',
      ...daysBetween('2026-04-24', '2026-04-30'),
    ]);
  });

  it('refuses anything that is not a calendar day', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(() => daysToKeep(['2026-02-30'], '2026-03-01')).toThrow('Not a day: 2026-02-30');
    expect(() => daysToKeep([], 'today')).toThrow('Not a day');
  });
});

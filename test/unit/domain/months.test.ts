import { describe, expect, it } from 'vitest';
import {
  MONTH_PATTERN,
  monthBounds,
  monthOf,
  monthStart,
  monthsEndingWith,
  nextMonth,
} from '../../../shared/domain/months';

const DAY = 86_400_000;

describe('monthBounds', () => {
  it('gives February of a leap year 29 days and of other years 28', () => {
    const [from, to] = monthBounds('2024-02');
    expect(new Date(from).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(to - from).toBe(29 * DAY);
    const [from25, to25] = monthBounds('2025-02');
    expect(to25 - from25).toBe(28 * DAY);
    // 2000 is a leap year, 2100 is not.
    expect(monthBounds('2000-02')[1] - monthBounds('2000-02')[0]).toBe(29 * DAY);
    expect(monthBounds('2100-02')[1] - monthBounds('2100-02')[0]).toBe(28 * DAY);
  });

  it('runs December into January of the next year', () => {
    const [from, to] = monthBounds('2025-12');
    expect(new Date(from).toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(to - from).toBe(31 * DAY);
  });

  it('is a UTC month of 30 or 31 days otherwise', () => {
    expect(monthBounds('2026-04')[1] - monthBounds('2026-04')[0]).toBe(30 * DAY);
    expect(monthBounds('2026-03')[1] - monthBounds('2026-03')[0]).toBe(31 * DAY);
  });
});

describe('month arithmetic', () => {
  it('steps to the next month across the year end', () => {
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(nextMonth('2024-01')).toBe('2024-02');
    expect(nextMonth('2024-02')).toBe('2024-03');
  });

  it('names the UTC month of an instant', () => {
    expect(monthOf(Date.parse('2026-03-31T23:59:59.999Z'))).toBe('2026-03');
    expect(monthOf(Date.parse('2026-04-01T00:00:00.000Z'))).toBe('2026-04');
    // Midnight in Berlin on 1 April is still March in UTC.
    expect(monthOf(Date.parse('2026-04-01T00:30:00+02:00'))).toBe('2026-03');
    expect(monthStart('2026-03')).toBe(Date.UTC(2026, 2, 1));
  });

  it('lists the months ending with one, oldest first, across years', () => {
    expect(monthsEndingWith('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsEndingWith('2026-02', 1)).toEqual(['2026-02']);
    expect(monthsEndingWith('2026-12', 12)).toHaveLength(12);
    expect(monthsEndingWith('2026-12', 12)[0]).toBe('2026-01');
  });

  it('accepts YYYY-MM only', () => {
    for (const good of ['2026-01', '2026-12', '1999-09']) expect(MONTH_PATTERN.test(good)).toBe(true);
    for (const bad of ['2026-00', '2026-13', '2026-1', '26-01', '2026-01-01', '2026/01']) {
      expect(MONTH_PATTERN.test(bad)).toBe(false);
    }
  });
});

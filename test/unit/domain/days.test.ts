import { describe, expect, it } from 'vitest';
import { DAY_PATTERN, dayStartIn, nextDay } from '../../../shared/domain/days';

describe('dayStartIn', () => {
  it.each([
    ['2026-01-15', 'UTC', '2026-01-15T00:00:00.000Z'],
    ['2026-01-15', 'Europe/Berlin', '2026-01-14T23:00:00.000Z'],
    ['2026-07-15', 'Europe/Berlin', '2026-07-14T22:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'],
    // Clocks jump from 00:00 to 01:00: the day's first instant is 01:00 local, 04:00 UTC.
    ['2024-09-08', 'America/Santiago', '2024-09-08T04:00:00.000Z'],
    ['2024-09-09', 'America/Santiago', '2024-09-09T03:00:00.000Z'],
    // Clocks go back from 00:00 to 23:00: the day begins at the second midnight, 04:00 UTC.
    ['2024-04-07', 'America/Santiago', '2024-04-07T04:00:00.000Z'],
    ['2026-01-15', 'Asia/Kolkata', '2026-01-14T18:30:00.000Z'],
    ['2026-01-15', 'Pacific/Kiritimati', '2026-01-14T10:00:00.000Z'],
    ['2026-01-15', 'Pacific/Pago_Pago', '2026-01-15T11:00:00.000Z'],
  ])('%s starts in %s at %s', (day, zone, start) => {
    expect(dayStartIn(day, zone).toISOString()).toBe(start);
  });
});

describe('nextDay', () => {
  it('runs over month and year ends and leap days', () => {
    expect(nextDay('2026-01-31')).toBe('2026-02-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2025-02-28')).toBe('2025-03-01');
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
  });
});

describe('DAY_PATTERN', () => {
  it('takes calendar days and refuses other shapes', () => {
    expect(DAY_PATTERN.test('2026-09-30')).toBe(true);
    for (const bad of ['2026-9-30', '2026-13-01', '2026-00-10', '2026-09-32', '30.09.2026', ''])
      expect(DAY_PATTERN.test(bad), bad).toBe(false);
  });
});

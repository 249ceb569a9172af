import { describe, expect, it } from 'vitest';
import { agentRevenueMicros, type BillingMode } from '../../../shared/domain/billing';
import { budgetUse, forecastCost, monthPace, runRateWindow } from '../../../shared/domain/forecast';
import { monthBounds } from '../../../shared/domain/months';

const at = (iso: string) => Date.parse(iso);
/** Dollars as pico-USD. */
const usd = (dollars: string) => {
  const [whole, cents = ''] = dollars.split('.');
  return BigInt(whole as string) * 10n ** 12n + BigInt(cents.padEnd(2, '0')) * 10n ** 10n;
};
const [DEC_FROM, DEC_TO] = monthBounds('2026-12');
const OLD_ORG = at('2025-01-01T00:00:00Z');

describe('the run rate window', () => {
  it('on 3 December at noon reads the two full days of the month before today', () => {
    const window = runRateWindow(at('2026-12-03T12:00:00Z'), DEC_FROM, OLD_ORG);
    expect(window).toEqual({ from: at('2026-12-01T00:00:00Z'), to: at('2026-12-03T00:00:00Z'), days: 2 });
  });

  it('reads at most the last 7 full days', () => {
    const window = runRateWindow(at('2026-12-20T06:00:00Z'), DEC_FROM, OLD_ORG);
    expect(window).toEqual({ from: at('2026-12-13T00:00:00Z'), to: at('2026-12-20T00:00:00Z'), days: 7 });
  });

  it('counts an org created at 13:00 from the next midnight', () => {
    const window = runRateWindow(at('2026-12-20T06:00:00Z'), DEC_FROM, at('2026-12-15T13:00:00Z'));
    expect(window).toEqual({ from: at('2026-12-16T00:00:00Z'), to: at('2026-12-20T00:00:00Z'), days: 4 });
  });

  it('has no day on the first day of the month', () => {
    expect(runRateWindow(at('2026-12-01T10:00:00Z'), DEC_FROM, OLD_ORG).days).toBe(0);
  });
});

describe('the forecast cost', () => {
  it('3 December noon: $12 so far, $10 over 2 days → $12 + $5/day × 28.5 days = $154.50, $100 reached on 21 December', () => {
    const now = at('2026-12-03T12:00:00Z');
    const forecast = forecastCost({
      now,
      monthTo: DEC_TO,
      costSoFar: usd('12'),
      windowCost: usd('10'),
      window: runRateWindow(now, DEC_FROM, OLD_ORG),
      budget: usd('100'),
    });
    expect(forecast.cost).toBe(usd('154.50'));
    // $88 left at $5 a day: 17.6 days = 17 days 14 h 24 min after 3 December 12:00.
    expect(new Date(forecast.crossesBudgetAt as number).toISOString()).toBe('2026-12-21T02:24:00.000Z');
    expect(budgetUse(forecast.cost, usd('100'))).toBe(1.545);
  });

  it('20 December 06:00, org of 4 full days: $9.50 + $2/day × 11.75 days = $33.00, under a $40 budget', () => {
    const now = at('2026-12-20T06:00:00Z');
    const forecast = forecastCost({
      now,
      monthTo: DEC_TO,
      costSoFar: usd('9.50'),
      windowCost: usd('8'),
      window: runRateWindow(now, DEC_FROM, at('2026-12-15T13:00:00Z')),
      budget: usd('40'),
    });
    expect(forecast).toEqual({ cost: usd('33'), crossesBudgetAt: null });
    expect(budgetUse(forecast.cost, usd('40'))).toBe(0.825);
  });

  it('rounds the projection once, half-up, to the pico-dollar', () => {
    const now = at('2026-12-30T00:00:00Z');
    const window = { from: at('2026-12-27T00:00:00Z'), to: now, days: 3 };
    // 1 or 2 pico over 3 days, for 2 days: 2/3 → 1, 4/3 → 1.
    const oneDayLeft = { now, monthTo: DEC_TO, costSoFar: 0n, window, budget: null };
    expect(forecastCost({ ...oneDayLeft, windowCost: 1n }).cost).toBe(1n);
    expect(forecastCost({ ...oneDayLeft, windowCost: 2n }).cost).toBe(1n);
    expect(forecastCost({ ...oneDayLeft, windowCost: 5n }).cost).toBe(3n);
  });

  it('is the cost so far without a full day to read a rate from', () => {
    const now = at('2026-12-01T10:00:00Z');
    const window = runRateWindow(now, DEC_FROM, OLD_ORG);
    expect(
      forecastCost({ now, monthTo: DEC_TO, costSoFar: usd('3'), windowCost: 0n, window, budget: usd('2') }),
    ).toEqual({ cost: usd('3'), crossesBudgetAt: now });
  });

  it('an org already over its budget crossed on the day its costs reached it', () => {
    const now = at('2026-12-10T08:00:00Z');
    const forecast = forecastCost({
      now,
      monthTo: DEC_TO,
      costSoFar: usd('120'),
      windowCost: usd('70'),
      window: runRateWindow(now, DEC_FROM, OLD_ORG),
      budget: usd('100'),
      reachedAt: at('2026-12-08T00:00:00Z'),
    });
    expect(forecast.crossesBudgetAt).toBe(at('2026-12-08T00:00:00Z'));
    // $10 a day for 21 days 16 h = 21 2/3 days: $216.666… → $336.67 to the pico-dollar.
    expect(forecast.cost).toBe(usd('120') + 216_666_666_666_667n);
  });
});

describe('the share of a budget and the pace of the month', () => {
  it('shows 85 % when $85 of $100 is used, and nothing without a budget', () => {
    expect(budgetUse(usd('85'), usd('100'))).toBe(0.85);
    expect(budgetUse(usd('85'), null)).toBeNull();
  });

  it('is a tenth of December at 4 December 02:24 (3.1 of 31 days)', () => {
    expect(monthPace(at('2026-12-04T02:24:00Z'), DEC_FROM, DEC_TO)).toBe(0.1);
  });
});

describe('agent fees to date', () => {
  const month = { from: DEC_FROM, to: DEC_TO };
  const fees = (mode: BillingMode, from: string, until: string) =>
    agentRevenueMicros(30_000_000, mode, [{ from: at(from), to: Infinity }], [], month, at(until));

  it('prorated: $30/month, all December, by 3 December noon: 2.5/31 × $30 = $2.42', () => {
    expect(fees('prorated', '2026-11-01T00:00:00Z', '2026-12-03T12:00:00Z')).toBe(2_420_000n);
  });

  it('prorated: assigned on 2 December, by 3 December noon: 1.5/31 × $30 = $1.45', () => {
    expect(fees('prorated', '2026-12-02T00:00:00Z', '2026-12-03T12:00:00Z')).toBe(1_450_000n);
  });

  it('full month: accrues evenly once assigned, $2.42 by 3 December noon, $30 at the end', () => {
    expect(fees('full_month', '2026-12-02T00:00:00Z', '2026-12-03T12:00:00Z')).toBe(2_420_000n);
    expect(fees('full_month', '2026-12-02T00:00:00Z', '2027-01-01T00:00:00Z')).toBe(30_000_000n);
    expect(fees('full_month', '2026-12-05T00:00:00Z', '2026-12-03T12:00:00Z')).toBe(0n);
  });
});

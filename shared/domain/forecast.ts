/**
 * Month to date and forecast: where a month's cost is heading, from its run rate. All exact
 * (BigInt pico-USD and epoch milliseconds), UTC days as the store keeps them.
 *
 * - The run rate is the cost of the last full UTC days before now, at most RUN_RATE_DAYS of them,
 *   and only days inside the month on which the org existed (a day counts from its midnight, so an
 *   org created at noon counts from the next day): cost of those days ÷ their number.
 * - The forecast cost is the cost so far plus the run rate over what is left of the month
 *   (now to the month's end, to the millisecond). With no full day yet there is no run rate and
 *   the forecast is the cost so far.
 */

import { DAY_MS } from './days';
import { divRound } from './decimal';

export const RUN_RATE_DAYS = 7;

/** The budget alert thresholds an org starts with, in percent of its budget. */
export const DEFAULT_ALERT_THRESHOLDS = [80, 100] as const;

export interface RunRateWindow {
  /** The first full day's midnight, epoch ms (UTC). */
  from: number;
  /** Today's midnight (UTC): the window ends before today. */
  to: number;
  /** Full days in the window, 0 to RUN_RATE_DAYS. */
  days: number;
}

const floorDay = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;
const ceilDay = (at: number) => Math.ceil(at / DAY_MS) * DAY_MS;

/** The full days the run rate is read from, for an org created at `since` (epoch ms) in month [monthFrom, monthTo). */
export function runRateWindow(now: number, monthFrom: number, since: number): RunRateWindow {
  const to = floorDay(now);
  const from = Math.min(to, Math.max(to - RUN_RATE_DAYS * DAY_MS, monthFrom, ceilDay(since)));
  return { from, to, days: (to - from) / DAY_MS };
}

export interface CostForecast {
  /** The month's projected cost, pico-USD. */
  cost: bigint;
  /** When the projection reaches the budget (epoch ms, within the month), or null if it does not. */
  crossesBudgetAt: number | null;
}

/**
 * The month's cost projected from the run rate (`windowCost` over `window.days` days), and when it
 * reaches `budget` (pico-USD; null for none). Already at or over the budget: the crossing is the
 * moment it happened as far as the days say, `reachedAt`, which the caller finds in the daily costs.
 */
export function forecastCost(input: {
  now: number;
  monthTo: number;
  costSoFar: bigint;
  windowCost: bigint;
  window: RunRateWindow;
  budget: bigint | null;
  /** When the cost so far reached the budget (the day's start it did), if it has. */
  reachedAt?: number | null;
}): CostForecast {
  const { now, monthTo, costSoFar, windowCost, window, budget } = input;
  const remaining = BigInt(Math.max(0, monthTo - now));
  const hasRate = window.days > 0 && windowCost > 0n;
  const span = BigInt(window.days) * BigInt(DAY_MS);
  const cost = hasRate ? costSoFar + divRound(windowCost * remaining, span) : costSoFar;
  // A budget is reached by spending: no cost reaches none, not even a budget of zero.
  if (budget === null || cost < budget || cost === 0n) return { cost, crossesBudgetAt: null };
  if (costSoFar >= budget) return { cost, crossesBudgetAt: input.reachedAt ?? now };
  // The first whole millisecond at which cost so far + rate × elapsed reaches the budget.
  const needed = budget - costSoFar;
  const elapsed = (needed * span + windowCost - 1n) / windowCost;
  return { cost, crossesBudgetAt: Math.min(now + Number(elapsed), monthTo - 1) };
}

/** cost ÷ budget to 4 decimals, half-up (0.8512 is 85.12 %); null without a budget. */
export function budgetUse(costPico: bigint, budgetPico: bigint | null): number | null {
  if (budgetPico === null) return null;
  if (budgetPico === 0n) return costPico > 0n ? 1 : 0;
  return Number(divRound(costPico * 10_000n, budgetPico)) / 10_000;
}

/** Where spend would be now if it were even over the month: elapsed ÷ month length, to 4 decimals. */
export function monthPace(now: number, monthFrom: number, monthTo: number): number {
  const elapsed = Math.min(Math.max(now - monthFrom, 0), monthTo - monthFrom);
  return Number(divRound(BigInt(elapsed) * 10_000n, BigInt(monthTo - monthFrom))) / 10_000;
}

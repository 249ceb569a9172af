import { divRound } from './decimal';

/** A half-open span of time [from, to) in epoch milliseconds. */
export interface Span {
  from: number;
  to: number;
}

/** Micro-units per cent: revenue is rounded to the cent. */
const MICROS_PER_CENT = 10_000n;
/** Price units: pico-USD per token = micro-USD per million tokens. */
export const PICO_PER_MICRO = 1_000_000n;

export function clip(span: Span, window: Span): Span | null {
  const from = Math.max(span.from, window.from);
  const to = Math.min(span.to, window.to);
  return to > from ? { from, to } : null;
}

/** The parts of `spans` not covered by any of `holes`. */
export function subtract(spans: Span[], holes: Span[]): Span[] {
  let result = spans;
  for (const hole of holes) {
    result = result.flatMap((span) => {
      if (hole.to <= span.from || hole.from >= span.to) return [span];
      const parts: Span[] = [];
      if (hole.from > span.from) parts.push({ from: span.from, to: hole.from });
      if (hole.to < span.to) parts.push({ from: hole.to, to: span.to });
      return parts;
    });
  }
  return result;
}

export const totalMs = (spans: Span[]) => spans.reduce((sum, span) => sum + (span.to - span.from), 0);

export type BillingMode = 'prorated' | 'full_month';

/**
 * Revenue of one agent in one org for one month, in micro-units, rounded half-up to the cent.
 * prorated: rate × (time assigned, less the org's inactive time) ÷ (length of the month);
 * full_month: the whole rate if the agent was assigned at any moment of the month.
 * With `until` inside the month, what has accrued by then (month to date): prorated counts the
 * time assigned before `until`; full_month accrues evenly, rate × (until − month start) ÷ (length
 * of the month), once the agent was assigned at any moment before `until`.
 */
export function agentRevenueMicros(
  rateMicros: number,
  mode: BillingMode,
  assigned: Span[],
  inactive: Span[],
  month: Span,
  until: number = month.to,
): bigint {
  const end = Math.min(until, month.to);
  // Reports compute this for every agent and month: plain numbers until proration needs BigInt.
  let assignedMs = 0;
  for (const span of assigned)
    assignedMs += Math.max(0, Math.min(span.to, end) - Math.max(span.from, month.from));
  if (assignedMs === 0) return 0n;
  const monthMs = month.to - month.from;
  if (mode === 'full_month') {
    if (end === month.to) return BigInt(rateMicros);
    return (
      divRound(BigInt(rateMicros) * BigInt(end - month.from), BigInt(monthMs) * MICROS_PER_CENT) *
      MICROS_PER_CENT
    );
  }
  const holes = inactive.filter((hole) => hole.from < end && hole.to > month.from);
  // The whole month, the usual case: the rate rounded half-up to the cent.
  if (holes.length === 0 && assignedMs === monthMs)
    return BigInt(Math.floor((rateMicros + 5_000) / 10_000) * 10_000);
  const window = { from: month.from, to: end };
  const inWindow = assigned.flatMap((span) => clip(span, window) ?? []);
  const billable = BigInt(totalMs(subtract(inWindow, holes)));
  return divRound(BigInt(rateMicros) * billable, BigInt(monthMs) * MICROS_PER_CENT) * MICROS_PER_CENT;
}

/**
 * Prorated revenue of a month in which the rate changes: each part of the month [from, to) at its
 * own rate for the agent's billable time in it, the sum rounded half-up to the cent once.
 */
export function proratedOverRates(
  parts: { from: number; to: number; rateMicros: number }[],
  assigned: Span[],
  inactive: Span[],
  month: Span,
): bigint {
  let sum = 0n;
  for (const part of parts) {
    const inPart = assigned.flatMap((span) => clip(span, part) ?? []);
    if (inPart.length === 0) continue;
    sum += BigInt(part.rateMicros) * BigInt(totalMs(subtract(inPart, inactive)));
  }
  return divRound(sum, BigInt(month.to - month.from) * MICROS_PER_CENT) * MICROS_PER_CENT;
}

/** Pico-USD rounded half-up, once, to micro-units (6 decimals). */
export const picoToMicros = (pico: bigint) => divRound(pico, PICO_PER_MICRO);

/** (revenue − cost) ÷ revenue to 4 decimals, half-up; null when there is no revenue. */
export function margin(revenueMicros: bigint, costMicros: bigint): number | null {
  if (revenueMicros === 0n) return null;
  return Number(divRound((revenueMicros - costMicros) * 10_000n, revenueMicros)) / 10_000;
}

/**
 * The revenue rules of one month, over billing terms with history (shared/domain/billing-terms.ts):
 * each agent's fee at the rates in effect while it was billable, the org's usage fee at the markups
 * in effect on each day (shared/domain/usage-fee.ts) and the top-up to the org's minimum.
 */
import {
  agentRevenueMicros,
  type BillingMode,
  proratedOverRates,
  type Span,
  subtract,
  totalMs,
} from '../../../shared/domain/billing';
import { partsOf, type Timeline, valueOn } from '../../../shared/domain/billing-terms';
import { type MarkedUpCost, minimumTopUp, type UsageFee, usageFee } from '../../../shared/domain/usage-fee';
import type { BillableAgent } from '../store/repos/agents-repo';
import type { BillingTerms } from '../store/repos/orgs-repo';
import type { UsageSlice } from '../store/repos/usage-repo';
import type { Store } from '../store/store';
import type { PriceBook } from './usage-costs';

export interface OrgTerms {
  rate: Timeline<number>;
  mode: Timeline<BillingMode>;
  /** Basis points; null: usage not rebilled. */
  usageMarkup: Timeline<bigint | null>;
  includedMicros: Timeline<bigint>;
  minimumMicros: Timeline<bigint>;
  /** Per model: its override of the usage markup (null: the org's). */
  modelMarkups: Map<string, Timeline<bigint | null>>;
}

/** Every org's and agent's terms with their history, deleted ones too. */
export function loadTerms(store: Store, orgs: BillingTerms[], agents: BillableAgent[]) {
  const byOrg = new Map<string, OrgTerms>(
    orgs.map((org) => [
      org.id,
      {
        rate: { base: org.rate_micros, changes: [] },
        mode: { base: org.billing_mode, changes: [] },
        usageMarkup: { base: null, changes: [] },
        includedMicros: { base: 0n, changes: [] },
        minimumMicros: { base: 0n, changes: [] },
        modelMarkups: new Map(),
      },
    ]),
  );
  for (const row of store.billingTerms.orgTerms()) {
    const terms = byOrg.get(row.org_id);
    if (!terms) continue;
    const from = row.effective_from;
    if (row.term === 'rate') terms.rate.changes.push({ from, value: row.amount ?? 0 });
    else if (row.term === 'billing_mode') terms.mode.changes.push({ from, value: row.mode ?? 'prorated' });
    else if (row.term === 'usage_markup')
      terms.usageMarkup.changes.push({ from, value: row.amount === null ? null : BigInt(row.amount) });
    else if (row.term === 'included_usage')
      terms.includedMicros.changes.push({ from, value: BigInt(row.amount ?? 0) });
    else terms.minimumMicros.changes.push({ from, value: BigInt(row.amount ?? 0) });
  }
  for (const row of store.billingTerms.markups()) {
    const terms = byOrg.get(row.org_id);
    if (!terms) continue;
    let timeline = terms.modelMarkups.get(row.model);
    if (!timeline) {
      timeline = { base: null, changes: [] };
      terms.modelMarkups.set(row.model, timeline);
    }
    timeline.changes.push({
      from: row.effective_from,
      value: row.markup_bp === null ? null : BigInt(row.markup_bp),
    });
  }
  const agentRates = new Map<string, Timeline<number | null>>(
    agents.map((agent) => [agent.id, { base: agent.rate_micros, changes: [] }]),
  );
  for (const row of store.billingTerms.agentRates())
    agentRates.get(row.agent_id)?.changes.push({ from: row.effective_from, value: row.rate_micros });
  return { orgs: byOrg, agents: agentRates };
}

const firstDay = (window: Span) => new Date(window.from).toISOString().slice(0, 10);

/** The rate an agent is billed at on a day: its own, else its org's. */
const rateOn = (agentRate: Timeline<number | null>, org: OrgTerms, day: string) =>
  valueOn(agentRate, day) ?? valueOn(org.rate, day);

/** The rate shown for an agent's month: the one in effect on its first day. */
export const monthRate = (agentRate: Timeline<number | null>, org: OrgTerms, window: Span) =>
  rateOn(agentRate, org, firstDay(window));

/**
 * An agent's fee in one org for one month, in micro-USD: full_month (the mode on the month's first
 * day) bills the rate in effect on the month's first day; prorated bills each part of the month at
 * the rate in effect then. With `end` inside the month, what has accrued by then (month to date).
 */
export function agentFee(
  agentRate: Timeline<number | null>,
  org: OrgTerms,
  assigned: Span[],
  inactive: Span[],
  window: Span,
  end: number = window.to,
): bigint {
  const mode = valueOn(org.mode, firstDay(window));
  if (mode === 'full_month')
    return agentRevenueMicros(monthRate(agentRate, org, window), mode, assigned, inactive, window, end);
  const parts = partsOf([agentRate, org.rate], window).filter((part) => part.from < end);
  if (parts.length === 1)
    return agentRevenueMicros(monthRate(agentRate, org, window), mode, assigned, inactive, window, end);
  const holes = inactive.filter((hole) => hole.from < end && hole.to > window.from);
  return proratedOverRates(
    parts.map((part) => ({
      ...part,
      to: Math.min(part.to, end),
      rateMicros: rateOn(agentRate, org, part.day),
    })),
    assigned,
    holes,
    window,
  );
}

/** Whether the org rebills any usage at all, ever (most do not: no query then). */
export const rebillsUsage = (org: OrgTerms) =>
  org.usageMarkup.changes.length > 0 || org.modelMarkups.size > 0;

/** The markup of a model's usage on a day: the model's override, else the org's; null: not rebilled. */
export function markupOn(org: OrgTerms, model: string | undefined, day: string): bigint | null {
  const override = model === undefined ? undefined : org.modelMarkups.get(model);
  return (override ? valueOn(override, day) : null) ?? valueOn(org.usageMarkup, day);
}

/** The usage included in the month (the allowance in effect on its first day), micro-USD. */
export const includedOf = (org: OrgTerms, window: Span) => valueOn(org.includedMicros, firstDay(window));

/**
 * The org's usage for the month as pieces at their markups. `monthSlices` is its usage per agent
 * for the whole month; when a markup changes inside the month, the usage is read again per part of
 * the month from the days.
 */
export function orgUsagePieces(
  store: Store,
  prices: PriceBook,
  orgId: string,
  org: OrgTerms,
  window: Span,
  monthSlices: { agent_id: string; slice: UsageSlice }[],
): MarkedUpCost[] {
  const parts = partsOf([org.usageMarkup, ...org.modelMarkups.values()], window);
  const pieces: MarkedUpCost[] = [];
  for (const part of parts) {
    const slices =
      parts.length === 1
        ? monthSlices
        : store.usage
            .orgRangeByAgent(orgId, part.from, part.to)
            .map(({ agent_id, ...slice }) => ({ agent_id, slice }));
    for (const { agent_id, slice } of slices) {
      pieces.push({
        agentId: agent_id,
        costPico: prices.cost(slice).cost_pico,
        markupBp: markupOn(org, prices.modelOf(slice.price), part.day),
      });
    }
  }
  return pieces;
}

/** The org's usage fee for the month (see orgUsagePieces). */
export function orgUsageFee(
  store: Store,
  prices: PriceBook,
  orgId: string,
  org: OrgTerms,
  window: Span,
  monthSlices: { agent_id: string; slice: UsageSlice }[],
): UsageFee {
  return usageFee(orgUsagePieces(store, prices, orgId, org, window, monthSlices), includedOf(org, window));
}

/**
 * What tops the org's revenue up to its minimum (the one in effect on the month's first day): only
 * in a month the org was active at some moment of. A minimum has no value from the beginning, so
 * it starts on the day it was set from (which may be before the org was created, if dated so).
 */
export function orgMinimumTopUp(
  org: OrgTerms,
  inactive: Span[],
  window: Span,
  revenueMicros: bigint,
): bigint {
  const minimum = valueOn(org.minimumMicros, firstDay(window));
  if (minimum === 0n) return 0n;
  const active = totalMs(subtract([window], inactive));
  return active > 0 ? minimumTopUp(revenueMicros, minimum) : 0n;
}

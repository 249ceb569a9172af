/**
 * The revenue rules of one month, over billing terms with history (shared/domain/billing-terms.ts):
 * each agent's fee at the rates in effect while it was billable, the org's usage fee at the markups
 * in effect on each day (shared/domain/usage-fee.ts) and the top-up to the org's minimum.
 */
import {
  agentRevenueMicros,
  type BillingMode,
  clip,
  proratedOverRates,
  type Span,
  subtract,
  totalMs,
} from '../../../shared/domain/billing';
import { partsOf, type Timeline, valueOn } from '../../../shared/domain/billing-terms';
import {
  type MarkedUpCost,
  minimumTopUp,
  shareOut,
  type UsageFee,
  usageFee,
} from '../../../shared/domain/usage-fee';
import type { BillableAgent } from '../store/repos/agents-repo';
import type { BillingTerms } from '../store/repos/orgs-repo';
import type { UsageSlice } from '../store/repos/usage-repo';
import type { Store } from '../store/store';
import { addCosted, type CostedUsage, NO_USAGE, type PriceBook } from './usage-costs';

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

/**
 * Part of an agent's month at one rate, from its first billable moment to its last: its billable
 * time and its share of the agent's fee.
 */
export interface FeePart {
  from: number;
  to: number;
  rateMicros: number;
  billableMs: number;
  feeMicros: bigint;
}

/**
 * An agent's fee (as `agentFee` gives it) by the parts of the month it was billed at one rate: one
 * part, unless a prorated rate changed during the agent's billable time. The fee is shared out over
 * the parts in whole cents by rate × billable time, so the parts always add up to it.
 */
export function agentFeeParts(
  agentRate: Timeline<number | null>,
  org: OrgTerms,
  assigned: Span[],
  inactive: Span[],
  window: Span,
): FeePart[] {
  const fee = agentFee(agentRate, org, assigned, inactive, window);
  const prorated = valueOn(org.mode, firstDay(window)) === 'prorated';
  const runs: { from: number; to: number; rateMicros: number }[] = [];
  for (const part of prorated ? partsOf([agentRate, org.rate], window) : [window]) {
    const rateMicros = prorated ? rateOn(agentRate, org, firstDay(part)) : monthRate(agentRate, org, window);
    const last = runs.at(-1);
    if (last && last.rateMicros === rateMicros) last.to = part.to;
    else runs.push({ from: part.from, to: part.to, rateMicros });
  }
  // Each part as far as the agent was billable in it: a statement dates it by those days.
  const parts = runs.map((run) => {
    const billable = subtract(
      assigned.flatMap((span) => clip(span, run) ?? []),
      inactive,
    );
    if (billable.length === 0) return { ...run, billableMs: 0 };
    return {
      from: Math.min(...billable.map((span) => span.from)),
      to: Math.max(...billable.map((span) => span.to)),
      rateMicros: run.rateMicros,
      billableMs: totalMs(billable),
    };
  });
  const billed = parts.filter((part) => part.billableMs > 0);
  const shown = billed.length > 0 ? billed : parts.slice(0, 1);
  const key = (index: number) => String(index).padStart(6, '0');
  const cents = shareOut(
    fee / 10_000n,
    shown.map((part, index) => [key(index), BigInt(part.rateMicros) * BigInt(part.billableMs)]),
  );
  return shown.map((part, index) => ({ ...part, feeMicros: (cents.get(key(index)) ?? 0n) * 10_000n }));
}

/** Whether the org rebills any usage at all, ever (most do not: no query then). */
export const rebillsUsage = (org: OrgTerms) =>
  org.usageMarkup.changes.length > 0 || org.modelMarkups.size > 0;

/** The markup of a model's usage on a day: the model's override, else the org's; null: not rebilled. */
export function markupOn(org: OrgTerms, model: string | undefined, day: string): bigint | null {
  const override = model === undefined ? undefined : org.modelMarkups.get(model);
  return (override ? valueOn(override, day) : null) ?? valueOn(org.usageMarkup, day);
}

/**
 * The usage of an org's agents by model, whole months or by parts of the month (for a month a
 * markup changes in): `from` is then the first moment of the part it sums.
 */
export type AgentUsage = { agent_id: string; model: string; slice: UsageSlice; from?: number };

/** The markups that apply to an org's usage: its own, and each model's override. */
const markupTimelines = (org: OrgTerms) => [org.usageMarkup, ...org.modelMarkups.values()];

/**
 * The parts of the month with one markup in effect for each of `orgs`: cut wherever one of their
 * markups changes, so each org's own parts are unions of them.
 */
export const markupParts = (orgs: OrgTerms[], window: Span) => partsOf(orgs.flatMap(markupTimelines), window);

/** The usage allowance of the month: the one in effect on its first day. */
export const includedUsage = (org: OrgTerms, window: Span) => valueOn(org.includedMicros, firstDay(window));

/** The minimum monthly charge of the month: the one in effect on its first day. */
export const monthlyMinimum = (org: OrgTerms, window: Span) => valueOn(org.minimumMicros, firstDay(window));

/** Usage of one agent and model over a part of the month with one markup in effect. */
export interface UsagePiece extends MarkedUpCost {
  model: string;
  from: number;
  to: number;
  usage: CostedUsage;
}

/**
 * The org's usage of the month in pieces, one per agent, model and part of the month with one
 * markup in effect: the model's override, else the org's usage markup. `monthSlices` is its usage
 * per agent and model for the whole month; when a markup changes inside the month, `partSlices`
 * gives it by the org's parts, or finer ones (read only then), and each goes to the org's part.
 */
export function orgUsagePieces(
  prices: PriceBook,
  org: OrgTerms,
  window: Span,
  monthSlices: AgentUsage[],
  partSlices: (parts: Span[]) => AgentUsage[],
): UsagePiece[] {
  const parts = markupParts([org], window);
  // Per part, agent and model (nested maps): the finer parts of one piece summed before it is marked up.
  const byPart = new Map<(typeof parts)[number], Map<string, Map<string, CostedUsage>>>();
  for (const { agent_id, model, slice, from } of parts.length > 1 ? partSlices(parts) : monthSlices) {
    const at = from ?? window.from;
    const part =
      parts.find((candidate) => candidate.from <= at && at < candidate.to) ??
      (parts[0] as (typeof parts)[number]);
    const ofPart = byPart.get(part) ?? new Map<string, Map<string, CostedUsage>>();
    byPart.set(part, ofPart);
    const ofAgent = ofPart.get(agent_id) ?? new Map<string, CostedUsage>();
    ofPart.set(agent_id, ofAgent);
    ofAgent.set(model, addCosted(ofAgent.get(model) ?? NO_USAGE, prices.cost(slice)));
  }
  const pieces: UsagePiece[] = [];
  for (const [part, ofPart] of byPart)
    for (const [agentId, ofAgent] of ofPart)
      for (const [model, usage] of ofAgent)
        pieces.push({
          agentId,
          model,
          from: part.from,
          to: part.to,
          usage,
          costPico: usage.cost_pico,
          markupBp: markupOn(org, model, part.day),
        });
  return pieces;
}

/** Of `models`, those whose markup is not the same in every part of the month. */
export function modelsWithMarkupChanges(org: OrgTerms, window: Span, models: Iterable<string>): Set<string> {
  const parts = markupParts([org], window);
  const changing = new Set<string>();
  if (parts.length === 1) return changing;
  for (const model of models)
    if (new Set(parts.map((part) => markupOn(org, model, part.day))).size > 1) changing.add(model);
  return changing;
}

/**
 * The org's usage of the month as costs with their markups, as its fee needs them: the fee adds up
 * each cost × its markup exactly and rounds once per org, so a model at one markup all month bills
 * the same from its month's usage as from its parts'. Only the models whose markup changes inside
 * the month are asked of `partSlices` (see `orgUsagePieces`), by part.
 */
export function orgFeePieces(
  prices: PriceBook,
  org: OrgTerms,
  window: Span,
  monthSlices: AgentUsage[],
  partSlices: (parts: Span[], models: Set<string>) => AgentUsage[],
): MarkedUpCost[] {
  const parts = markupParts([org], window);
  const changing = modelsWithMarkupChanges(org, window, new Set(monthSlices.map((usage) => usage.model)));
  const pieces: MarkedUpCost[] = [];
  for (const { agent_id, model, slice } of monthSlices)
    if (!changing.has(model))
      pieces.push({
        agentId: agent_id,
        costPico: prices.cost(slice).cost_pico,
        markupBp: markupOn(org, model, firstDay(window)),
      });
  if (changing.size === 0) return pieces;
  for (const { agent_id, model, slice, from } of partSlices(parts, changing)) {
    if (!changing.has(model)) continue;
    const at = from ?? window.from;
    const part = parts.find((candidate) => candidate.from <= at && at < candidate.to) ?? parts[0];
    pieces.push({
      agentId: agent_id,
      costPico: prices.cost(slice).cost_pico,
      markupBp: markupOn(org, model, part?.day ?? firstDay(window)),
    });
  }
  return pieces;
}

/** The org's usage fee for the month (see `orgFeePieces`). */
export function orgUsageFee(
  prices: PriceBook,
  org: OrgTerms,
  window: Span,
  monthSlices: AgentUsage[],
  partSlices: (parts: Span[], models: Set<string>) => AgentUsage[],
): UsageFee {
  return usageFee(orgFeePieces(prices, org, window, monthSlices, partSlices), includedUsage(org, window));
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
  const minimum = monthlyMinimum(org, window);
  if (minimum === 0n) return 0n;
  const active = totalMs(subtract([window], inactive));
  return active > 0 ? minimumTopUp(revenueMicros, minimum) : 0n;
}

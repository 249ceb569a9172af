import type { Span } from '../../../shared/domain/billing';
import { monthBounds } from '../../../shared/domain/months';
import { type MarkedUpCost, usageFee } from '../../../shared/domain/usage-fee';
import type { OrgScope } from '../store/org-scope';
import type { BillableAgent } from '../store/repos/agents-repo';
import type { Store } from '../store/store';
import {
  type AgentUsage,
  agentFee,
  includedUsage,
  loadTerms,
  markupOn,
  markupParts,
  modelsWithMarkupChanges,
  type OrgTerms,
  orgFeePieces,
  orgMinimumTopUp,
  orgUsageFee,
  rebillsUsage,
} from './revenue-rules';
import { createPriceBook } from './usage-costs';

export interface Stay {
  agentId: string;
  orgId: string;
  spans: Span[];
}

const toSpan = (from: string, to: string | null): Span => ({
  from: Date.parse(from),
  to: to ? Date.parse(to) : Number.POSITIVE_INFINITY,
});

/** Per agent id, per org id: a value of that agent in that org. */
export type ByAgentAndOrg<T> = Map<string, Map<string, T>>;

function setIn<T>(map: ByAgentAndOrg<T>, agentId: string, orgId: string, value: T): void {
  const ofAgent = map.get(agentId);
  if (ofAgent) ofAgent.set(orgId, value);
  else map.set(agentId, new Map([[orgId, value]]));
}

function load(store: Store) {
  const stays: ByAgentAndOrg<Stay> = new Map();
  for (const row of store.agents.allAssignments()) {
    let stay = stays.get(row.agent_id)?.get(row.org_id);
    if (!stay) {
      stay = { agentId: row.agent_id, orgId: row.org_id, spans: [] };
      setIn(stays, row.agent_id, row.org_id, stay);
    }
    stay.spans.push(toSpan(row.from_at, row.to_at));
  }
  const inactive = new Map<string, Span[]>();
  for (const row of store.orgActivity.all()) {
    const spans = inactive.get(row.org_id) ?? [];
    spans.push(toSpan(row.from_at, row.to_at));
    inactive.set(row.org_id, spans);
  }
  const billable = store.agents.billable();
  const agents = new Map<string, BillableAgent>(billable.map((agent) => [agent.id, agent]));
  const terms = loadTerms(store, store.orgs.billingTerms(), billable);
  // What every month's revenue needs of each stay, looked up once.
  const billed = [...stays.values()].flatMap((ofAgent) =>
    [...ofAgent.values()].flatMap((stay) => {
      const org = terms.orgs.get(stay.orgId);
      const rate = terms.agents.get(stay.agentId);
      if (!org || !rate) return [];
      return [
        {
          agentId: stay.agentId,
          orgId: stay.orgId,
          spans: stay.spans,
          rate,
          org,
          inactive: inactive.get(stay.orgId) ?? [],
        },
      ];
    }),
  );
  const prices = createPriceBook(store.prices.all(), store.prices.rates());
  return { stays, inactive, agents, terms, billed, prices };
}

/** An org's revenue for a month, in micro-USD: agent fees + usage fee + the minimum's top-up. */
export interface OrgRevenue {
  agents: bigint;
  usage: bigint;
  minimumTopUp: bigint;
  total: bigint;
}

const sumByOrg = (byAgent: ByAgentAndOrg<bigint>) => {
  const byOrg = new Map<string, bigint>();
  for (const ofAgent of byAgent.values())
    for (const [orgId, fee] of ofAgent) byOrg.set(orgId, (byOrg.get(orgId) ?? 0n) + fee);
  return byOrg;
};

interface MonthRevenue {
  /** Each agent's fee in each org. */
  byAgent: ByAgentAndOrg<bigint>;
  /** Each agent's part of its org's usage fee, for agents with rebilled usage. */
  usageByAgent: ByAgentAndOrg<bigint>;
  byOrg: Map<string, OrgRevenue>;
}

/**
 * What reports depend on (assignments, org inactivity, rates, billing modes, prices, usage sums),
 * loaded once and kept until the store's billing revision moves: any such change, from this
 * connection or another (an import worker, the CLI), bumps it.
 *
 * It holds every org's, whoever's call loads it: its reads run in `everyOrg` (Store.readAsServer),
 * not in the caller's scope, which on PostgreSQL would hide the other orgs' rows (row-level
 * security) from every later caller until the revision moves. Reports filter it by their scope.
 */
export function createBillingSnapshot(store: Store, everyOrg: OrgScope) {
  /** A read of every org's rows, whichever call it is a step of. */
  const readAll = <T>(read: () => T): T => store.readAsServer(everyOrg, read);
  let revision = -1;
  /** Loaded by the first current(), inside a call: outside one, PostgreSQL shows no org's rows. */
  let data: ReturnType<typeof load> | undefined;
  const revenues = new Map<string, MonthRevenue>();
  /** Per month, every org's usage per agent, model and slice. */
  const everyOrgSlices = new Map<string, Map<string, AgentUsage[]>>();
  /** Per month a markup changes in, the usage of the models it changes for, per org and part of the month. */
  const parts = new Map<string, Map<string, AgentUsage[]>>();
  /** Per month, its latest month to date: a report asks for it more than once in the same minute. */
  const toDate = new Map<string, { until: number; revenue: MonthRevenue }>();
  const memos = new Map<string, unknown>();

  function current() {
    const now = store.billingRevision.current();
    if (now !== revision || !data) {
      data = readAll(() => load(store));
      revenues.clear();
      everyOrgSlices.clear();
      parts.clear();
      toDate.clear();
      memos.clear();
      revision = now;
    }
    return data;
  }

  /** Every agent's fees and usage-fee parts in every org for the whole month, and each org's revenue. */
  function monthRevenue(month: string): MonthRevenue {
    const { terms, inactive, prices } = current();
    const cached = revenues.get(month);
    if (cached) return cached;
    const [from, to] = monthBounds(month);
    const window = { from, to };
    const byAgent = agentFees(month, to);
    const agentsByOrg = sumByOrg(byAgent);
    const usageByAgent: ByAgentAndOrg<bigint> = new Map();
    const usageByOrg = new Map<string, bigint>();
    const rebilling = [...terms.orgs].filter(([, org]) => rebillsUsage(org));
    if (rebilling.length > 0) {
      const slices = monthSlicesByOrg(month);
      for (const [orgId, org] of rebilling) {
        const fee = orgUsageFee(prices, org, window, slices.get(orgId) ?? [], () =>
          partsOfMonth(month, orgId),
        );
        usageByOrg.set(orgId, fee.feeMicros);
        for (const [agentId, part] of fee.byAgent) setIn(usageByAgent, agentId, orgId, part);
      }
    }
    const byOrg = new Map<string, OrgRevenue>();
    for (const [orgId, org] of terms.orgs) {
      const agents = agentsByOrg.get(orgId) ?? 0n;
      const usage = usageByOrg.get(orgId) ?? 0n;
      const minimumTopUp = orgMinimumTopUp(org, inactive.get(orgId) ?? [], window, agents + usage);
      byOrg.set(orgId, { agents, usage, minimumTopUp, total: agents + usage + minimumTopUp });
    }
    const result = { byAgent, usageByAgent, byOrg };
    revenues.set(month, result);
    return result;
  }

  /** Every agent's fee in every org for the month up to `end` (the month's end: the whole month). */
  function agentFees(month: string, end: number): ByAgentAndOrg<bigint> {
    const { billed } = current();
    const [from, to] = monthBounds(month);
    const byAgent: ByAgentAndOrg<bigint> = new Map();
    for (const stay of billed) {
      if (!stay.spans.some((span) => span.from < end && span.to > from)) continue;
      setIn(
        byAgent,
        stay.agentId,
        stay.orgId,
        agentFee(stay.rate, stay.org, stay.spans, stay.inactive, { from, to }, end),
      );
    }
    return byAgent;
  }

  /** The month's usage per org, per agent, model and slice: read once, kept with the snapshot. */
  function monthSlicesByOrg(month: string) {
    const { prices } = current();
    const kept = everyOrgSlices.get(month);
    if (kept) return kept;
    const slices = new Map<string, AgentUsage[]>();
    for (const { org_key, agent_id, ...slice } of readAll(() => store.usage.monthByAgent(month))) {
      // Only a priced slice has a cost to mark up: an unpriced one needs no model for its markup.
      const entry = { agent_id, model: prices.modelOf(slice.price) ?? '', slice };
      const list = slices.get(org_key);
      if (list) list.push(entry);
      else slices.set(org_key, [entry]);
    }
    everyOrgSlices.set(month, slices);
    return slices;
  }

  /**
   * An org's usage of the models whose markup changes inside a month, by the parts of the month:
   * those of every org with such a model, read for all of them on the first ask (one query per part,
   * of those models only) and kept with the snapshot.
   */
  function partsOfMonth(month: string, orgId: string): AgentUsage[] {
    const { terms } = current();
    let byOrg = parts.get(month);
    if (!byOrg) {
      const [from, to] = monthBounds(month);
      const window = { from, to };
      const slices = monthSlicesByOrg(month);
      const split: OrgTerms[] = [];
      const changing = new Map<string, Set<string>>();
      for (const [id, org] of terms.orgs) {
        if (!rebillsUsage(org)) continue;
        const models = modelsWithMarkupChanges(
          org,
          window,
          new Set(slices.get(id)?.map((usage) => usage.model)),
        );
        if (models.size === 0) continue;
        split.push(org);
        changing.set(id, models);
      }
      byOrg = new Map();
      const models = new Set([...changing.values()].flatMap((ofOrg) => [...ofOrg]));
      const rows =
        split.length === 0
          ? []
          : readAll(() =>
              store.usage.partsByAgent(markupParts(split, window), [...changing.keys()], [...models]),
            );
      for (const { org_key, agent_id, model, from: partFrom, ...slice } of rows) {
        if (!changing.get(org_key)?.has(model)) continue;
        const entry = { agent_id, model, slice, from: partFrom };
        const list = byOrg.get(org_key);
        if (list) list.push(entry);
        else byOrg.set(org_key, [entry]);
      }
      parts.set(month, byOrg);
    }
    return byOrg.get(orgId) ?? [];
  }

  /**
   * Revenue of a span: the whole month when `until` is absent or past the month's end; else the
   * month to date (README "Month to date"): agent fees accrued up to `until` (to the minute, each
   * part at the rate in effect then), the usage fee on the usage so far (the month's usage is all
   * there is yet, so it is the month's fee as it stands), and no minimum top-up (a month-end charge,
   * in the forecast only). The one place a report's revenue comes from.
   */
  function revenueOfSpan(month: string, until?: number): MonthRevenue {
    const whole = monthRevenue(month);
    const [, to] = monthBounds(month);
    if (until === undefined || until >= to) return whole;
    const kept = toDate.get(month);
    if (kept?.until === until) return kept.revenue;
    const byAgent = agentFees(month, until);
    const agentsByOrg = sumByOrg(byAgent);
    const byOrg = new Map<string, OrgRevenue>();
    for (const [orgId, { usage }] of whole.byOrg) {
      const agents = agentsByOrg.get(orgId) ?? 0n;
      byOrg.set(orgId, { agents, usage, minimumTopUp: 0n, total: agents + usage });
    }
    const revenue = { byAgent, usageByAgent: whole.usageByAgent, byOrg };
    toDate.set(month, { until, revenue });
    return revenue;
  }

  /**
   * An org's forecast revenue for the month: the whole month's agent fees at the assignments and
   * rates as they stand, the usage fee on the usage so far plus `projected` (the rest of the month's
   * cost per model, each at the markup in effect on `day`), and the minimum's top-up.
   */
  function forecastRevenue(
    month: string,
    orgId: string,
    projected: { model: string; costPico: bigint }[],
    day: string,
  ): OrgRevenue {
    const { terms, inactive, prices } = current();
    const org = terms.orgs.get(orgId);
    const agents = monthRevenue(month).byOrg.get(orgId)?.agents ?? 0n;
    if (!org) return { agents, usage: 0n, minimumTopUp: 0n, total: agents };
    const [from, to] = monthBounds(month);
    const window = { from, to };
    let usage = 0n;
    if (rebillsUsage(org)) {
      const pieces: MarkedUpCost[] = orgFeePieces(
        prices,
        org,
        window,
        monthSlicesByOrg(month).get(orgId) ?? [],
        () => partsOfMonth(month, orgId),
      );
      for (const { model, costPico } of projected)
        pieces.push({ agentId: '', costPico, markupBp: markupOn(org, model, day) });
      usage = usageFee(pieces, includedUsage(org, window)).feeMicros;
    }
    const minimumTopUp = orgMinimumTopUp(org, inactive.get(orgId) ?? [], window, agents + usage);
    return { agents, usage, minimumTopUp, total: agents + usage + minimumTopUp };
  }

  return {
    current,
    /** A query's result, kept until the revision moves. */
    memo<T>(key: string, compute: () => T): T {
      current();
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    revenueOfSpan,
    forecastRevenue,
    /** Revenue of every org for the month (to date when `until` is inside it), by org id, in micro-units. */
    revenueByOrg: (month: string, until?: number) =>
      new Map([...revenueOfSpan(month, until).byOrg].map(([id, org]) => [id, org.total])),
    /** Every org's revenue for the month (to date…) split into agent fees, usage fee and minimum top-up. */
    orgRevenue: (month: string, until?: number) => revenueOfSpan(month, until).byOrg,
    /** Fees of every agent in every org for the month (to date…), in micro-units. */
    revenue: (month: string, until?: number) => revenueOfSpan(month, until).byAgent,
    /** Every agent's part of its org's usage fee for the month, in micro-units. */
    usageRevenue: (month: string) => monthRevenue(month).usageByAgent,
  };
}

export type BillingSnapshot = ReturnType<typeof createBillingSnapshot>;

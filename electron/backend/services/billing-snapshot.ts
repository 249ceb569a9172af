import type { Span } from '../../../shared/domain/billing';
import { monthBounds } from '../../../shared/domain/months';
import type { BillableAgent } from '../store/repos/agents-repo';
import type { Store } from '../store/store';
import {
  type AgentUsage,
  agentFee,
  loadTerms,
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
 */
export function createBillingSnapshot(store: Store) {
  let revision = -1;
  let data = load(store);
  const revenues = new Map<string, MonthRevenue>();
  const memos = new Map<string, unknown>();

  function current() {
    const now = store.billingRevision.current();
    if (now !== revision) {
      data = load(store);
      revenues.clear();
      memos.clear();
      revision = now;
    }
    return data;
  }

  /** Every agent's fees in every org for the month, and each org's revenue, in micro-units. */
  function monthRevenue(month: string): MonthRevenue {
    const { billed, terms, inactive, prices } = current();
    const cached = revenues.get(month);
    if (cached) return cached;
    const [from, to] = monthBounds(month);
    const window = { from, to };
    const byAgent: ByAgentAndOrg<bigint> = new Map();
    const agentsByOrg = new Map<string, bigint>();
    for (const stay of billed) {
      if (!stay.spans.some((span) => span.from < to && span.to > from)) continue;
      const revenue = agentFee(stay.rate, stay.org, stay.spans, stay.inactive, window);
      setIn(byAgent, stay.agentId, stay.orgId, revenue);
      agentsByOrg.set(stay.orgId, (agentsByOrg.get(stay.orgId) ?? 0n) + revenue);
    }
    const usageByAgent: ByAgentAndOrg<bigint> = new Map();
    const usageByOrg = new Map<string, bigint>();
    const rebilling = [...terms.orgs].filter(([, org]) => rebillsUsage(org));
    if (rebilling.length > 0) {
      const slices = new Map<string, AgentUsage[]>();
      for (const { org_key, agent_id, ...slice } of store.usage.monthByAgent(month)) {
        // Only a priced slice has a cost to mark up: an unpriced one needs no model for its markup.
        const entry = { agent_id, model: prices.modelOf(slice.price) ?? '', slice };
        const list = slices.get(org_key);
        if (list) list.push(entry);
        else slices.set(org_key, [entry]);
      }
      // Read once, and only when some org's markup changes inside the month.
      let days: Map<string, AgentUsage[]> | undefined;
      const daysOf = (orgId: string) => {
        if (!days) {
          days = new Map();
          for (const { org_key, agent_id, model, dayMs, ...slice } of store.usage.monthDaysByAgent(month)) {
            const list = days.get(org_key);
            if (list) list.push({ agent_id, model, slice, dayMs });
            else days.set(org_key, [{ agent_id, model, slice, dayMs }]);
          }
        }
        return days.get(orgId) ?? [];
      };
      for (const [orgId, org] of rebilling) {
        const fee = orgUsageFee(prices, org, window, slices.get(orgId) ?? [], () => daysOf(orgId));
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

  return {
    current,
    /** A query's result, kept until the revision moves. */
    memo<T>(key: string, compute: () => T): T {
      current();
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    /** Revenue of every org for the month, by org id, in micro-units. */
    revenueByOrg: (month: string) =>
      new Map([...monthRevenue(month).byOrg].map(([id, org]) => [id, org.total])),
    /** Every org's revenue for the month split into agent fees, usage fee and minimum top-up. */
    orgRevenue: (month: string) => monthRevenue(month).byOrg,
    /** Fees of every agent in every org for the month, in micro-units. */
    revenue: (month: string) => monthRevenue(month).byAgent,
    /** Every agent's part of its org's usage fee for the month, in micro-units. */
    usageRevenue: (month: string) => monthRevenue(month).usageByAgent,
  };
}

export type BillingSnapshot = ReturnType<typeof createBillingSnapshot>;

import { agentRevenueMicros, type Span } from '../../../shared/domain/billing';
import { monthBounds } from '../../../shared/domain/months';
import type { BillableAgent } from '../store/repos/agents-repo';
import type { BillingTerms } from '../store/repos/orgs-repo';
import type { Store } from '../store/store';
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
  const agents = new Map<string, BillableAgent>(store.agents.billable().map((agent) => [agent.id, agent]));
  const terms = new Map<string, BillingTerms>(store.orgs.billingTerms().map((org) => [org.id, org]));
  // What every month's revenue needs of each stay, looked up once.
  const billed = [...stays.values()].flatMap((ofAgent) =>
    [...ofAgent.values()].flatMap((stay) => {
      const org = terms.get(stay.orgId);
      const agent = agents.get(stay.agentId);
      if (!org || !agent) return [];
      return [
        {
          agentId: stay.agentId,
          orgId: stay.orgId,
          spans: stay.spans,
          rate: agent.rate_micros ?? org.rate_micros,
          mode: org.billing_mode,
          inactive: inactive.get(stay.orgId) ?? [],
        },
      ];
    }),
  );
  const prices = createPriceBook(store.prices.all(), store.prices.rates());
  return { stays, inactive, agents, terms, billed, prices };
}

interface MonthRevenue {
  byAgent: ByAgentAndOrg<bigint>;
  byOrg: Map<string, bigint>;
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

  /**
   * Revenue of a span: every agent's revenue in every org for the month up to `until` (the whole
   * month when absent or past its end), and each org's total, in micro-units. The one place a
   * report's revenue comes from, month to date included.
   */
  function revenueOfSpan(month: string, until?: number): MonthRevenue {
    const { billed } = current();
    const [from, to] = monthBounds(month);
    const end = until === undefined ? to : Math.min(until, to);
    // Only whole months are kept: a month to date moves with the clock.
    const cached = end === to ? revenues.get(month) : undefined;
    if (cached) return cached;
    const window = { from, to };
    const byAgent: ByAgentAndOrg<bigint> = new Map();
    const byOrg = new Map<string, bigint>();
    for (const stay of billed) {
      if (!stay.spans.some((span) => span.from < end && span.to > from)) continue;
      const revenue = agentRevenueMicros(stay.rate, stay.mode, stay.spans, stay.inactive, window, end);
      setIn(byAgent, stay.agentId, stay.orgId, revenue);
      byOrg.set(stay.orgId, (byOrg.get(stay.orgId) ?? 0n) + revenue);
    }
    const result = { byAgent, byOrg };
    if (end === to) revenues.set(month, result);
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
    revenueOfSpan,
    /** Revenue of every org for the month (up to `until`), by org id, in micro-units. */
    revenueByOrg: (month: string, until?: number) => revenueOfSpan(month, until).byOrg,
    /** Revenue of every agent in every org for the month (up to `until`), in micro-units. */
    revenue: (month: string, until?: number) => revenueOfSpan(month, until).byAgent,
  };
}

export type BillingSnapshot = ReturnType<typeof createBillingSnapshot>;

import type { AgentMonthFigures } from '../../../shared/contract/agents';
import type { MarginsReport } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import {
  clip,
  margin,
  PICO_PER_MICRO,
  picoToMicros,
  subtract,
  totalMs,
} from '../../../shared/domain/billing';
import { DAY_MS } from '../../../shared/domain/days';
import { formatScaled } from '../../../shared/domain/decimal';
import { monthBounds, monthsEndingWith } from '../../../shared/domain/months';
import type { OrgScope } from '../store/org-scope';
import type { OrgRow } from '../store/repos/orgs-repo';
import { UNATTRIBUTED } from '../store/repos/usage-repo';
import type { Store } from '../store/store';
import { createBillingSnapshot, type Stay } from './billing-snapshot';
import { liveOrg } from './live-org';
import type { SettingsService } from './settings-service';
import { addCosted, type CostedUsage, NO_USAGE, type UsedFallbacks } from './usage-costs';

/** Revenue is whole cents, so dropping the last four micro digits is exact. */
const revenueText = (micros: bigint) => formatScaled(micros / 10_000n, 2);
const costText = (pico: bigint) => formatScaled(picoToMicros(pico), 6);
/** The margin from the exact cost (revenue in micro-units, cost in pico), rounded once. */
const exactMargin = (revenueMicros: bigint, costPico: bigint) =>
  margin(revenueMicros * PICO_PER_MICRO, costPico);
/** One collator for every sort: localeCompare would build one per comparison. */
const byName = new Intl.Collator();

/** The token counts, cost by category and cache savings a report shows of some usage. */
const tokens = (sum: CostedUsage) => ({
  unpriced_tokens: Number(sum.unpriced_tokens),
  input_tokens: Number(sum.input_tokens),
  output_tokens: Number(sum.output_tokens),
  cache_read_tokens: Number(sum.cache_read_tokens),
  cache_write_tokens: Number(sum.cache_write_tokens),
  reasoning_tokens: Number(sum.reasoning_tokens),
  cost_by_category: {
    input: costText(sum.by_category.input),
    cache_read: costText(sum.by_category.cache_read),
    cache_write: costText(sum.by_category.cache_write),
    output: costText(sum.by_category.output),
    reasoning: costText(sum.by_category.reasoning),
  },
  cache_savings: costText(sum.savings_pico),
});

/** Per model, its slices' tokens and cost, by model name. */
function modelLines(costed: { model: string; usage: CostedUsage }[]) {
  const byModel = new Map<string, CostedUsage>();
  for (const { model, usage } of costed) byModel.set(model, addCosted(byModel.get(model) ?? NO_USAGE, usage));
  return [...byModel]
    .map(([model, usage]) => {
      const { unpriced_tokens: _unpriced, ...shown } = tokens(usage);
      return { model, cost: costText(usage.cost_pico), priced: usage.unpriced_tokens === 0n, ...shown };
    })
    .sort((a, b) => byName.compare(a.model, b.model));
}

const fallbackList = (used: UsedFallbacks) =>
  [...used]
    .map(([model, rules]) => ({ model, rules: [...rules].sort() }))
    .sort((a, b) => byName.compare(a.model, b.model));

function budgetState(budgetMicros: number | null, costPico: bigint): 'ok' | 'warning' | 'exceeded' | null {
  if (budgetMicros === null) return null;
  const cost = picoToMicros(costPico);
  const budget = BigInt(budgetMicros);
  if (cost >= budget) return 'exceeded';
  return cost * 10n >= budget * 8n ? 'warning' : 'ok';
}

const figures = (usage: CostedUsage) => ({
  cost: costText(usage.cost_pico),
  input_tokens: Number(usage.input_tokens),
  output_tokens: Number(usage.output_tokens),
  unpriced_tokens: Number(usage.unpriced_tokens),
});

export function createMarginsService(store: Store, settings: SettingsService) {
  const snapshot = createBillingSnapshot(store);

  type UsageFilter = { kind: 'all' } | { kind: 'org'; orgKey: string } | { kind: 'none' };

  /** The orgs a report covers: one visible org, or all the scope sees. */
  function orgsFor(scope: OrgScope, orgId?: string): Map<string, OrgRow> {
    if (orgId) {
      const org = liveOrg(store, scope, orgId);
      return new Map([[org.id, org]]);
    }
    return new Map(store.orgs.list(scope, { status: 'current' }).map((org) => [org.id, org]));
  }

  /**
   * Which usage a report reads: everything (owners and admins, unattributed usage included), one
   * org's, or none (a scope that sees no single org).
   */
  function usageFilter(scope: OrgScope, orgs: Map<string, OrgRow>, orgId?: string): UsageFilter {
    if (orgId) return { kind: 'org', orgKey: orgId };
    if (scope.seesAll) return { kind: 'all' };
    const only = orgs.size === 1 ? [...orgs.keys()][0] : undefined;
    return only === undefined ? { kind: 'none' } : { kind: 'org', orgKey: only };
  }

  /** The month's unattributed usage per agent and day, most costly agent first. */
  function unattributedByAgent(month: string) {
    const { agents, prices } = snapshot.current();
    const byAgent = new Map<string, { total: CostedUsage; days: Map<string, CostedUsage> }>();
    for (const slice of store.usage.unattributedDays(month)) {
      const costed = prices.cost(slice);
      let ofAgent = byAgent.get(slice.agent_id);
      if (!ofAgent) {
        ofAgent = { total: NO_USAGE, days: new Map() };
        byAgent.set(slice.agent_id, ofAgent);
      }
      ofAgent.total = addCosted(ofAgent.total, costed);
      ofAgent.days.set(slice.day, addCosted(ofAgent.days.get(slice.day) ?? NO_USAGE, costed));
    }
    return [...byAgent]
      .map(([id, { total, days }]) => ({
        agent: agents.get(id),
        id,
        total,
        days: [...days]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([day, usage]) => ({ day, ...figures(usage) })),
      }))
      .sort((a, b) =>
        a.total.cost_pico === b.total.cost_pico ? 0 : a.total.cost_pico > b.total.cost_pico ? -1 : 1,
      )
      .map(({ agent, id, total, days }) => ({
        id,
        handle: agent?.handle ?? '',
        name: agent?.name ?? 'A deleted agent',
        ...figures(total),
        days,
      }));
  }

  function buildMonth(
    scope: OrgScope,
    month: string,
    orgId?: string,
  ): Omit<MarginsReport, 'low_margin_threshold'> {
    const orgs = orgsFor(scope, orgId);
    const filter = usageFilter(scope, orgs, orgId);
    const { agents, prices } = snapshot.current();
    const revenue = snapshot.revenue(month);
    const used: UsedFallbacks = new Map();
    const slices =
      filter.kind === 'none'
        ? []
        : store.usage.monthByAgent(month, filter.kind === 'org' ? filter.orgKey : undefined);
    /** Per agent, per org key: its usage's tokens and cost. */
    const usage = new Map<string, Map<string, CostedUsage>>();
    let unattributed = NO_USAGE;
    for (const slice of slices) {
      const costed = prices.cost(slice, used);
      if (slice.org_key === UNATTRIBUTED) unattributed = addCosted(unattributed, costed);
      let ofAgent = usage.get(slice.agent_id);
      if (!ofAgent) {
        ofAgent = new Map();
        usage.set(slice.agent_id, ofAgent);
      }
      ofAgent.set(slice.org_key, addCosted(ofAgent.get(slice.org_key) ?? NO_USAGE, costed));
    }

    /** Per org: the agents with revenue or usage in it. */
    const perOrg = new Map<string, Set<string>>();
    for (const byAgent of [revenue, usage]) {
      for (const [agentId, ofAgent] of byAgent) {
        for (const orgKey of ofAgent.keys()) {
          if (!orgs.has(orgKey)) continue;
          const ids = perOrg.get(orgKey);
          if (ids) ids.add(agentId);
          else perOrg.set(orgKey, new Set([agentId]));
        }
      }
    }

    const withUnattributed = filter.kind === 'all';
    let totalRevenue = 0n;
    let total = withUnattributed ? unattributed : NO_USAGE;
    let totalBilled = 0;
    const orgRows = [...orgs.values()].map((org) => {
      let orgRevenue = 0n;
      let orgSum = NO_USAGE;
      let billed = 0;
      const agentRows = [...(perOrg.get(org.id) ?? [])].flatMap((agentId) => {
        const agent = agents.get(agentId);
        if (!agent) return [];
        const agentRevenue = revenue.get(agentId)?.get(org.id);
        const sum = usage.get(agentId)?.get(org.id) ?? NO_USAGE;
        if (agentRevenue !== undefined) billed++;
        orgRevenue += agentRevenue ?? 0n;
        orgSum = addCosted(orgSum, sum);
        return [
          {
            id: agent.id,
            handle: agent.handle,
            name: agent.name,
            revenue: revenueText(agentRevenue ?? 0n),
            cost: costText(sum.cost_pico),
            margin: exactMargin(agentRevenue ?? 0n, sum.cost_pico),
            ...tokens(sum),
          },
        ];
      });
      totalRevenue += orgRevenue;
      total = addCosted(total, orgSum);
      totalBilled += billed;
      return {
        id: org.id,
        slug: org.slug,
        name: org.name,
        revenue: revenueText(orgRevenue),
        cost: costText(orgSum.cost_pico),
        margin: exactMargin(orgRevenue, orgSum.cost_pico),
        ...tokens(orgSum),
        agents_billed: billed,
        budget: org.budget_micros === null ? null : revenueText(BigInt(org.budget_micros)),
        budget_state: budgetState(org.budget_micros, orgSum.cost_pico),
        agents: agentRows.sort(
          (a, b) => byName.compare(a.name, b.name) || byName.compare(a.handle, b.handle),
        ),
      };
    });
    const models =
      filter.kind === 'none'
        ? []
        : store.usage
            .monthByModel(month, filter.kind === 'org' ? filter.orgKey : null)
            .map((slice) => ({ model: slice.model, usage: prices.cost(slice, used) }));
    return {
      month,
      currency: 'USD',
      orgs: orgRows,
      unattributed: withUnattributed
        ? {
            cost: costText(unattributed.cost_pico),
            ...tokens(unattributed),
            // The daily rows are read only when there is unattributed usage to break down.
            by_agent: unattributed === NO_USAGE ? [] : unattributedByAgent(month),
          }
        : null,
      totals: {
        revenue: revenueText(totalRevenue),
        cost: costText(total.cost_pico),
        margin: exactMargin(totalRevenue, total.cost_pico),
        agents_billed: totalBilled,
        unpriced_tokens: Number(total.unpriced_tokens),
      },
      cost_by_model: modelLines(models),
      cost_by_category: tokens(total).cost_by_category,
      cache_savings: costText(total.savings_pico),
      fallbacks: fallbackList(used),
    };
  }

  function buildTrend(scope: OrgScope, last: string, count: number, orgId?: string) {
    const months = monthsEndingWith(last, count);
    const orgs = orgsFor(scope, orgId);
    const filter = usageFilter(scope, orgs, orgId);
    const { prices } = snapshot.current();
    const costs = new Map<string, CostedUsage>();
    if (filter.kind !== 'none') {
      const orgKey = filter.kind === 'org' ? filter.orgKey : null;
      for (const slice of store.usage.byMonth(months[0] as string, last, orgKey))
        costs.set(slice.month, addCosted(costs.get(slice.month) ?? NO_USAGE, prices.cost(slice)));
    }
    return months.map((month) => {
      let revenue = 0n;
      for (const [org, value] of snapshot.revenueByOrg(month)) if (orgs.has(org)) revenue += value;
      const usage = costs.get(month) ?? NO_USAGE;
      return {
        month,
        revenue: revenueText(revenue),
        cost: costText(usage.cost_pico),
        margin: exactMargin(revenue, usage.cost_pico),
        cache_savings: costText(usage.savings_pico),
      };
    });
  }

  /**
   * Per agent, its month in the orgs a report covers (one org, or all the scope sees, with the
   * unattributed usage when that is every org): the Agents page's figures, summed as the margins are.
   */
  function buildAgentFigures(scope: OrgScope, month: string, orgId?: string) {
    const orgs = orgsFor(scope, orgId);
    const filter = usageFilter(scope, orgs, orgId);
    const counts = (orgKey: string) => orgs.has(orgKey) || (filter.kind === 'all' && orgKey === UNATTRIBUTED);
    const { prices } = snapshot.current();
    const byAgent = new Map<string, { revenue: bigint; usage: CostedUsage }>();
    const entry = (agentId: string) => {
      let found = byAgent.get(agentId);
      if (!found) {
        found = { revenue: 0n, usage: NO_USAGE };
        byAgent.set(agentId, found);
      }
      return found;
    };
    if (filter.kind !== 'none') {
      for (const slice of store.usage.monthByAgent(
        month,
        filter.kind === 'org' ? filter.orgKey : undefined,
      )) {
        if (!counts(slice.org_key)) continue;
        const found = entry(slice.agent_id);
        found.usage = addCosted(found.usage, prices.cost(slice));
      }
    }
    for (const [agentId, ofAgent] of snapshot.revenue(month)) {
      for (const [orgKey, micros] of ofAgent) if (orgs.has(orgKey)) entry(agentId).revenue += micros;
    }
    return new Map(
      [...byAgent].map(([agentId, { revenue, usage }]) => [
        agentId,
        {
          month,
          revenue: revenueText(revenue),
          cost: costText(usage.cost_pico),
          margin: exactMargin(revenue, usage.cost_pico),
          tokens: Number(
            usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens + usage.output_tokens,
          ),
        },
      ]),
    );
  }

  return {
    /** Kept per scope until the billing revision moves, like the month's report. */
    agentFigures(scope: OrgScope, month: string, orgId?: string) {
      if (orgId) liveOrg(store, scope, orgId);
      const figures = snapshot.memo(`agents|${month}|${orgId ?? ''}|${scope.sqlParam ?? '*'}`, () =>
        buildAgentFigures(scope, month, orgId),
      );
      const none = { month, revenue: revenueText(0n), cost: costText(0n), margin: null, tokens: 0 };
      return (agentId: string): AgentMonthFigures => figures.get(agentId) ?? none;
    },

    lowMarginThreshold: () => settings.current().lowMarginThreshold,

    /** The rate an agent is billed at now: its own, else its org's; null unassigned without one. */
    rateInEffect(agent: { rate_micros: number | null; org_id: string | null }) {
      if (agent.rate_micros !== null)
        return { amount: revenueText(BigInt(agent.rate_micros)), source: 'agent' as const };
      const org = agent.org_id ? snapshot.current().terms.get(agent.org_id) : undefined;
      return org ? { amount: revenueText(BigInt(org.rate_micros)), source: 'org' as const } : null;
    },

    /** Kept per scope until the billing revision moves: the all-orgs month is the console's landing figure. */
    month(scope: OrgScope, month: string, orgId?: string): MarginsReport {
      if (orgId) liveOrg(store, scope, orgId);
      const report = snapshot.memo(`report|${month}|${orgId ?? ''}|${scope.sqlParam ?? '*'}`, () =>
        buildMonth(scope, month, orgId),
      );
      return { ...report, low_margin_threshold: settings.current().lowMarginThreshold };
    },

    agentMonth(scope: OrgScope, month: string, agentId: string) {
      const [from, to] = monthBounds(month);
      const { agents, stays, inactive, terms, prices } = snapshot.current();
      const agent = agents.get(agentId);
      const agentStays = stays.get(agentId) ?? new Map<string, Stay>();
      const visibleStays = [...agentStays.values()].filter((stay) =>
        stay.spans.some((span) => clip(span, { from, to })),
      );
      const orgs = new Map(
        visibleStays.flatMap((stay) => {
          const org = store.orgs.get(scope, stay.orgId);
          return org ? [[org.id, org] as const] : [];
        }),
      );
      const visible = scope.seesAll || orgs.size > 0 || store.agents.get(scope, agentId) !== undefined;
      if (!agent || !visible) throw new AppError('NOT_FOUND', 'No such agent.');
      const revenue = snapshot.revenue(month);
      const usage = store.usage.agentMonth(month, agentId);
      return {
        month,
        agent: { id: agent.id, handle: agent.handle, name: agent.name },
        stays: [...orgs.values()].map((org) => {
          const spans = (agentStays.get(org.id)?.spans ?? []).flatMap(
            (span) => clip(span, { from, to }) ?? [],
          );
          const billable = totalMs(subtract(spans, inactive.get(org.id) ?? []));
          const models = usage
            .filter((slice) => slice.org_key === org.id)
            .map((slice) => ({ model: slice.model, usage: prices.cost(slice) }));
          const sum = models.reduce((total, { usage }) => addCosted(total, usage), NO_USAGE);
          const rev = revenue.get(agentId)?.get(org.id) ?? 0n;
          const { unpriced_tokens: _unpriced, ...shown } = tokens(sum);
          return {
            org: { id: org.id, slug: org.slug, name: org.name },
            days_assigned: formatScaled(BigInt(Math.round((billable / DAY_MS) * 100)), 2),
            rate: revenueText(BigInt(agent.rate_micros ?? terms.get(org.id)?.rate_micros ?? 0)),
            revenue: revenueText(rev),
            cost: costText(sum.cost_pico),
            margin: exactMargin(rev, sum.cost_pico),
            ...shown,
            models: modelLines(models),
          };
        }),
      };
    },

    /** Kept per scope until the billing revision moves, like the month's report. */
    trend(scope: OrgScope, last: string, count: number, orgId?: string) {
      if (orgId) liveOrg(store, scope, orgId);
      return snapshot.memo(`trend|${last}|${count}|${orgId ?? ''}|${scope.sqlParam ?? '*'}`, () =>
        buildTrend(scope, last, count, orgId),
      );
    },
  };
}

export type MarginsService = ReturnType<typeof createMarginsService>;

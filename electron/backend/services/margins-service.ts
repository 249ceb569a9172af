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
import { valueOn } from '../../../shared/domain/billing-terms';
import { DAY_MS } from '../../../shared/domain/days';
import { divRound, formatScaled } from '../../../shared/domain/decimal';
import { budgetUse, forecastCost, monthPace, runRateWindow } from '../../../shared/domain/forecast';
import { monthBounds, monthOf, monthsEndingWith } from '../../../shared/domain/months';
import { usageFee } from '../../../shared/domain/usage-fee';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { OrgRow } from '../store/repos/orgs-repo';
import { UNATTRIBUTED } from '../store/repos/usage-repo';
import type { Store } from '../store/store';
import { createBillingSnapshot, type Stay } from './billing-snapshot';
import { liveOrg } from './live-org';
import {
  agentFeeParts,
  type FeePart,
  includedUsage,
  monthlyMinimum,
  monthRate,
  orgMinimumTopUp,
  orgUsagePieces,
} from './revenue-rules';
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

const MINUTE_MS = 60_000;
const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** An org's cost of the current month per UTC day (epoch ms), in all and per model, pico-USD. */
interface OrgDays {
  total: Map<number, bigint>;
  byModel: Map<number, Map<string, bigint>>;
}
const NO_DAYS: OrgDays = { total: new Map(), byModel: new Map() };
const budgetPico = (budgetMicros: number | null) =>
  budgetMicros === null ? null : BigInt(budgetMicros) * PICO_PER_MICRO;

function budgetState(budgetMicros: number | null, costPico: bigint): 'ok' | 'warning' | 'exceeded' | null {
  if (budgetMicros === null) return null;
  const cost = picoToMicros(costPico);
  const budget = BigInt(budgetMicros);
  if (cost >= budget) return 'exceeded';
  return cost * 10n >= budget * 8n ? 'warning' : 'ok';
}

/** An agent's fee in one org for one month, by the parts of the month at one rate. */
export interface AgentFee {
  agentId: string;
  handle: string;
  name: string;
  feeMicros: bigint;
  parts: FeePart[];
}

/** One agent's usage of one model in one org over a part of the month with one markup in effect. */
export interface AgentModelUsage {
  agentId: string;
  handle: string;
  name: string;
  model: string;
  from: number;
  to: number;
  /** Basis points; null: not rebilled. */
  markupBp: bigint | null;
  usage: CostedUsage;
}

/** One org's month as billed, under its billing terms: what its statement's lines come from. */
export interface OrgMonthBilling {
  orgId: string;
  month: string;
  fees: AgentFee[];
  usage: AgentModelUsage[];
  /** The allowance of usage at cost the month includes (0: none). */
  includedMicros: bigint;
  /** The org's usage fee, after the allowance: whole cents. */
  usageFeeMicros: bigint;
  minimumMicros: bigint;
  minimumTopUpMicros: bigint;
}

/** The orgs' forecasts summed; see the contract's totals.forecast. */
function totalForecast(
  forecasts: { cost_pico: bigint; revenue_micros: bigint; crosses: number | null; budget: bigint | null }[],
  unattributedPico: bigint,
) {
  let revenue = 0n;
  let cost = unattributedPico;
  let budgetedCost = 0n;
  let budgets: bigint | null = null;
  let first: number | null = null;
  for (const forecast of forecasts) {
    revenue += forecast.revenue_micros;
    cost += forecast.cost_pico;
    if (forecast.budget !== null) {
      budgets = (budgets ?? 0n) + forecast.budget;
      budgetedCost += forecast.cost_pico;
    }
    if (forecast.crosses !== null && (first === null || forecast.crosses < first)) first = forecast.crosses;
  }
  return {
    revenue: revenueText(revenue),
    cost: costText(cost),
    margin: exactMargin(revenue, cost),
    budget_use: budgetUse(budgetedCost, budgets),
    budget_exceeded_on: first === null ? null : utcDay(first),
  };
}

const figures = (usage: CostedUsage) => ({
  cost: costText(usage.cost_pico),
  input_tokens: Number(usage.input_tokens),
  output_tokens: Number(usage.output_tokens),
  unpriced_tokens: Number(usage.unpriced_tokens),
});

/** `everyOrg`: the server's scope, in which the billing snapshot every caller shares is read. */
export function createMarginsService(
  store: Store,
  settings: SettingsService,
  clock: Clock,
  everyOrg: OrgScope,
) {
  const snapshot = createBillingSnapshot(store, everyOrg);

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

  /**
   * The org keys whose usage a report over `orgs` counts: those orgs', and the unattributed usage
   * when it reads everything. A deleted org is not listed, so its usage counts nowhere (until it is
   * restored): the rows, totals, cost by model, fallbacks and trend all sum these keys alone.
   */
  function usageKeys(orgs: Map<string, OrgRow>, filter: UsageFilter): string[] {
    if (filter.kind === 'none') return [];
    return filter.kind === 'all' ? [...orgs.keys(), UNATTRIBUTED] : [filter.orgKey];
  }

  /** The current month runs to the minute now: the instant its to-date figures stop; undefined for other months. */
  function toDateOf(month: string): number | undefined {
    const now = clock.now().getTime();
    return monthOf(now) === month ? Math.floor(now / MINUTE_MS) * MINUTE_MS : undefined;
  }

  /**
   * Per org of `orgs`: each UTC day's cost of the current month up to today included, in pico-USD,
   * for the run rate and the day a budget was reached, and the same per model (the forecast's usage
   * fee marks up each model's projected cost): one read of the month's days for every org.
   */
  function dailyCosts(month: string, asOf: number, orgs: Map<string, OrgRow>, orgId?: string) {
    const { prices } = snapshot.current();
    const [from] = monthBounds(month);
    const today = Math.floor(asOf / DAY_MS) * DAY_MS;
    const byOrg = new Map<string, OrgDays>();
    for (const slice of store.usage.daysByOrg(from, today + DAY_MS, orgId ?? null)) {
      if (!orgs.has(slice.org_key)) continue;
      let days = byOrg.get(slice.org_key);
      if (!days) {
        days = { total: new Map(), byModel: new Map() };
        byOrg.set(slice.org_key, days);
      }
      const cost = prices.cost(slice).cost_pico;
      days.total.set(slice.day, (days.total.get(slice.day) ?? 0n) + cost);
      const model = prices.modelOf(slice.price);
      if (model === undefined) continue;
      const ofDay = days.byModel.get(slice.day) ?? new Map<string, bigint>();
      days.byModel.set(slice.day, ofDay);
      ofDay.set(model, (ofDay.get(model) ?? 0n) + cost);
    }
    return byOrg;
  }

  /**
   * Where an org's month is heading (see shared/domain/forecast.ts): the projected cost, and when
   * it reaches `limit` (pico-USD: the budget, or a threshold's share of it; null for none).
   */
  function projection(
    org: OrgRow,
    month: string,
    asOf: number,
    costSoFar: bigint,
    days: Map<number, bigint>,
    limit: bigint | null,
  ) {
    const [from, to] = monthBounds(month);
    const window = runRateWindow(asOf, from, Date.parse(org.created_at));
    let windowCost = 0n;
    let running = 0n;
    let reachedAt: number | null = null;
    for (const [day, cost] of [...days].sort(([a], [b]) => a - b)) {
      if (day >= window.from && day < window.to) windowCost += cost;
      running += cost;
      if (reachedAt === null && limit !== null && running >= limit && running > 0n) reachedAt = day;
    }
    return forecastCost({ now: asOf, monthTo: to, costSoFar, windowCost, window, budget: limit, reachedAt });
  }

  /**
   * The rest of the month's cost per model, for the forecast's usage fee: each model's cost in the
   * run-rate window × the time left ÷ the window, rounded half-up per model (as the forecast cost
   * projects the org's whole cost).
   */
  function projectedByModel(org: OrgRow, month: string, asOf: number, days: OrgDays) {
    const [from, to] = monthBounds(month);
    const window = runRateWindow(asOf, from, Date.parse(org.created_at));
    if (window.days === 0) return [];
    const byModel = new Map<string, bigint>();
    for (const [day, ofDay] of days.byModel) {
      if (day < window.from || day >= window.to) continue;
      for (const [model, cost] of ofDay) byModel.set(model, (byModel.get(model) ?? 0n) + cost);
    }
    const left = BigInt(Math.max(0, to - asOf));
    const span = BigInt(window.days) * BigInt(DAY_MS);
    return [...byModel].map(([model, cost]) => ({ model, costPico: divRound(cost * left, span) }));
  }

  function orgForecast(org: OrgRow, month: string, asOf: number, costSoFar: bigint, days: OrgDays) {
    const budget = budgetPico(org.budget_micros);
    const projected = projection(org, month, asOf, costSoFar, days.total, budget);
    const revenue = snapshot.forecastRevenue(
      month,
      org.id,
      projectedByModel(org, month, asOf, days),
      utcDay(asOf),
    ).total;
    return {
      cost_pico: projected.cost,
      revenue_micros: revenue,
      crosses: projected.crossesBudgetAt,
      shown: {
        revenue: revenueText(revenue),
        cost: costText(projected.cost),
        margin: exactMargin(revenue, projected.cost),
        budget_use: budgetUse(projected.cost, budget),
        budget_exceeded_on: projected.crossesBudgetAt === null ? null : utcDay(projected.crossesBudgetAt),
      },
    };
  }

  /**
   * A query's result kept until the billing revision moves, and (for figures that run to the
   * current minute) until the minute changes: one entry per query, not one per minute.
   */
  function asOfMemo<T>(key: string, asOf: number | undefined, compute: () => T): T {
    const kept = snapshot.memo(key, () => ({
      asOf: Number.NaN as number | undefined,
      value: undefined as T,
    }));
    if (!Object.is(kept.asOf, asOf)) {
      kept.value = compute();
      kept.asOf = asOf;
    }
    return kept.value;
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
    orgId: string | undefined,
    asOf: number | undefined,
  ): Omit<MarginsReport, 'low_margin_threshold'> {
    const orgs = orgsFor(scope, orgId);
    const filter = usageFilter(scope, orgs, orgId);
    const { agents, prices } = snapshot.current();
    const revenue = snapshot.revenue(month, asOf);
    const usageRevenue = snapshot.usageRevenue(month);
    const orgRevenue = snapshot.orgRevenue(month, asOf);
    const daily = asOf === undefined ? undefined : dailyCosts(month, asOf, orgs, orgId);
    const forecasts: {
      cost_pico: bigint;
      revenue_micros: bigint;
      crosses: number | null;
      budget: bigint | null;
    }[] = [];
    const used: UsedFallbacks = new Map();
    const counted = new Set(usageKeys(orgs, filter));
    const slices =
      filter.kind === 'none'
        ? []
        : store.usage.monthByAgent(month, filter.kind === 'org' ? filter.orgKey : undefined);
    /** Per agent, per org key: its usage's tokens and cost. */
    const usage = new Map<string, Map<string, CostedUsage>>();
    let unattributed = NO_USAGE;
    for (const slice of slices) {
      // Only what the report counts may add to its fallbacks.
      if (!counted.has(slice.org_key)) continue;
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
    for (const byAgent of [revenue, usageRevenue, usage]) {
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
    const totalRevenue = { agents: 0n, usage: 0n, minimumTopUp: 0n, total: 0n };
    let total = withUnattributed ? unattributed : NO_USAGE;
    let totalBilled = 0;
    const orgRows = [...orgs.values()].map((org) => {
      const orgTotal = orgRevenue.get(org.id) ?? { agents: 0n, usage: 0n, minimumTopUp: 0n, total: 0n };
      let orgSum = NO_USAGE;
      let billed = 0;
      const agentRows = [...(perOrg.get(org.id) ?? [])].flatMap((agentId) => {
        const agent = agents.get(agentId);
        if (!agent) return [];
        const fee = revenue.get(agentId)?.get(org.id);
        const usageFee = usageRevenue.get(agentId)?.get(org.id) ?? 0n;
        const sum = usage.get(agentId)?.get(org.id) ?? NO_USAGE;
        if (fee !== undefined) billed++;
        orgSum = addCosted(orgSum, sum);
        return [
          {
            id: agent.id,
            handle: agent.handle,
            name: agent.name,
            revenue: revenueText((fee ?? 0n) + usageFee),
            revenue_agents: revenueText(fee ?? 0n),
            revenue_usage: revenueText(usageFee),
            cost: costText(sum.cost_pico),
            margin: exactMargin((fee ?? 0n) + usageFee, sum.cost_pico),
            ...tokens(sum),
          },
        ];
      });
      totalRevenue.agents += orgTotal.agents;
      totalRevenue.usage += orgTotal.usage;
      totalRevenue.minimumTopUp += orgTotal.minimumTopUp;
      totalRevenue.total += orgTotal.total;
      total = addCosted(total, orgSum);
      totalBilled += billed;
      const forecast =
        asOf === undefined || daily === undefined
          ? null
          : orgForecast(org, month, asOf, orgSum.cost_pico, daily.get(org.id) ?? NO_DAYS);
      if (forecast) forecasts.push({ ...forecast, budget: budgetPico(org.budget_micros) });
      return {
        id: org.id,
        slug: org.slug,
        name: org.name,
        revenue: revenueText(orgTotal.total),
        revenue_agents: revenueText(orgTotal.agents),
        revenue_usage: revenueText(orgTotal.usage),
        minimum_topup: revenueText(orgTotal.minimumTopUp),
        cost: costText(orgSum.cost_pico),
        margin: exactMargin(orgTotal.total, orgSum.cost_pico),
        ...tokens(orgSum),
        agents_billed: billed,
        budget: org.budget_micros === null ? null : revenueText(BigInt(org.budget_micros)),
        budget_state: budgetState(org.budget_micros, orgSum.cost_pico),
        budget_use: budgetUse(orgSum.cost_pico, budgetPico(org.budget_micros)),
        forecast: forecast?.shown ?? null,
        agents: agentRows.sort(
          (a, b) => byName.compare(a.name, b.name) || byName.compare(a.handle, b.handle),
        ),
      };
    });
    const models =
      counted.size === 0
        ? []
        : store.usage
            .monthByModel(month, [...counted])
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
        revenue: revenueText(totalRevenue.total),
        revenue_agents: revenueText(totalRevenue.agents),
        revenue_usage: revenueText(totalRevenue.usage),
        minimum_topup: revenueText(totalRevenue.minimumTopUp),
        cost: costText(total.cost_pico),
        margin: exactMargin(totalRevenue.total, total.cost_pico),
        agents_billed: totalBilled,
        unpriced_tokens: Number(total.unpriced_tokens),
        forecast:
          asOf === undefined
            ? null
            : totalForecast(forecasts, withUnattributed ? unattributed.cost_pico : 0n),
      },
      as_of: asOf === undefined ? null : new Date(asOf).toISOString(),
      pace: asOf === undefined ? null : monthPace(asOf, ...monthBounds(month)),
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
    const counted = usageKeys(orgs, filter);
    if (counted.length > 0) {
      for (const slice of store.usage.byMonth(months[0] as string, last, counted))
        costs.set(slice.month, addCosted(costs.get(slice.month) ?? NO_USAGE, prices.cost(slice)));
    }
    return months.map((month) => {
      let revenue = 0n;
      for (const [org, value] of snapshot.revenueByOrg(month, toDateOf(month)))
        if (orgs.has(org)) revenue += value;
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
    const counted = new Set(usageKeys(orgs, filter));
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
        if (!counted.has(slice.org_key)) continue;
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

  const service = {
    /**
     * The budgets of the scope's current orgs as they stand at `at` (budget alerts): per org with a
     * budget, its month's cost so far and the forecast of any limit, all pico-USD.
     */
    budgetOutlook(scope: OrgScope, at: number) {
      const month = monthOf(at);
      const asOf = Math.floor(at / MINUTE_MS) * MINUTE_MS;
      const orgs = new Map([...orgsFor(scope)].filter(([, org]) => org.budget_micros !== null));
      const { prices } = snapshot.current();
      const costs = new Map<string, bigint>();
      for (const slice of store.usage.monthByAgent(month)) {
        if (orgs.has(slice.org_key))
          costs.set(slice.org_key, (costs.get(slice.org_key) ?? 0n) + prices.cost(slice).cost_pico);
      }
      const daily = dailyCosts(month, asOf, orgs);
      return [...orgs.values()].map((org) => {
        const cost = costs.get(org.id) ?? 0n;
        const days = (daily.get(org.id) ?? NO_DAYS).total;
        return {
          org,
          month,
          budget: budgetPico(org.budget_micros) as bigint,
          cost,
          /** The month's forecast cost, and when it reaches `limit`. */
          forecast: (limit: bigint) => projection(org, month, asOf, cost, days, limit),
        };
      });
    },

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

    /** The agent's own rate today (its dated changes over its row's), null when it bills its org's. */
    ownRate(agent: { id: string; rate_micros: number | null }): number | null {
      const own = snapshot.current().terms.agents.get(agent.id);
      return own ? valueOn(own, utcDay(clock.now().getTime())) : agent.rate_micros;
    },

    /** The rate an agent is billed at now: its own, else its org's; null unassigned without one. */
    rateInEffect(agent: { id: string; rate_micros: number | null; org_id: string | null }) {
      const ownRate = service.ownRate(agent);
      if (ownRate !== null) return { amount: revenueText(BigInt(ownRate)), source: 'agent' as const };
      const org = agent.org_id ? snapshot.current().terms.orgs.get(agent.org_id) : undefined;
      const today = utcDay(clock.now().getTime());
      return org ? { amount: revenueText(BigInt(valueOn(org.rate, today))), source: 'org' as const } : null;
    },

    /** Kept per scope until the billing revision moves: the all-orgs month is the console's landing figure. */
    month(scope: OrgScope, month: string, orgId?: string): MarginsReport {
      if (orgId) liveOrg(store, scope, orgId);
      const asOf = toDateOf(month);
      const report = asOfMemo(`report|${month}|${orgId ?? ''}|${scope.sqlParam ?? '*'}`, asOf, () =>
        buildMonth(scope, month, orgId, asOf),
      );
      return { ...report, low_margin_threshold: settings.current().lowMarginThreshold };
    },

    agentMonth(scope: OrgScope, month: string, agentId: string) {
      const [from, to] = monthBounds(month);
      const { agents, stays, inactive, terms, prices } = snapshot.current();
      const agent = agents.get(agentId);
      const agentRate = terms.agents.get(agentId);
      const rateOf = (orgId: string) => {
        const orgTerms = terms.orgs.get(orgId);
        return agentRate && orgTerms ? monthRate(agentRate, orgTerms, { from, to }) : 0;
      };
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
      const asOf = toDateOf(month);
      const revenue = snapshot.revenue(month, asOf);
      const usageRevenue = snapshot.usageRevenue(month);
      const usage = store.usage.agentMonth(month, agentId);
      return {
        month,
        agent: { id: agent.id, handle: agent.handle, name: agent.name },
        stays: [...orgs.values()].map((org) => {
          // The current month counts the days so far, as its revenue does.
          const spans = (agentStays.get(org.id)?.spans ?? []).flatMap(
            (span) => clip(span, { from, to: asOf ?? to }) ?? [],
          );
          const billable = totalMs(subtract(spans, inactive.get(org.id) ?? []));
          const models = usage
            .filter((slice) => slice.org_key === org.id)
            .map((slice) => ({ model: slice.model, usage: prices.cost(slice) }));
          const sum = models.reduce((total, { usage }) => addCosted(total, usage), NO_USAGE);
          const rev =
            (revenue.get(agentId)?.get(org.id) ?? 0n) + (usageRevenue.get(agentId)?.get(org.id) ?? 0n);
          const { unpriced_tokens: _unpriced, ...shown } = tokens(sum);
          return {
            org: { id: org.id, slug: org.slug, name: org.name },
            days_assigned: formatScaled(BigInt(Math.round((billable / DAY_MS) * 100)), 2),
            rate: revenueText(BigInt(rateOf(org.id))),
            revenue: revenueText(rev),
            cost: costText(sum.cost_pico),
            margin: exactMargin(rev, sum.cost_pico),
            ...shown,
            models: modelLines(models),
          };
        }),
      };
    },

    /**
     * One org's month as billed: each agent's fee (its billable time and rate) and its usage by agent
     * and model at cost, exact. Statements turn this into lines (statement-lines.ts); no scope, as
     * the statements service decides who may see which org's.
     */
    orgMonthBilling(orgId: string, month: string): OrgMonthBilling {
      const [from, to] = monthBounds(month);
      const window = { from, to };
      const { agents, stays, inactive, terms, prices } = snapshot.current();
      const orgTerms = terms.orgs.get(orgId);
      const orgInactive = inactive.get(orgId) ?? [];
      const fees: AgentFee[] = [];
      for (const [agentId, ofAgent] of snapshot.revenue(month)) {
        const feeMicros = ofAgent.get(orgId);
        const agent = agents.get(agentId);
        const agentRate = terms.agents.get(agentId);
        if (feeMicros === undefined || !agent || !agentRate || !orgTerms) continue;
        const spans = stays.get(agentId)?.get(orgId)?.spans ?? [];
        const parts = agentFeeParts(agentRate, orgTerms, spans, orgInactive, window);
        fees.push({ agentId, handle: agent.handle, name: agent.name, feeMicros, parts });
      }
      if (!orgTerms)
        return {
          orgId,
          month,
          fees,
          usage: [],
          includedMicros: 0n,
          usageFeeMicros: 0n,
          minimumMicros: 0n,
          minimumTopUpMicros: 0n,
        };
      const monthSlices = store.usage
        .orgMonthByAgentModel(month, orgId)
        .map(({ agent_id, model, ...slice }) => ({ agent_id, model, slice }));
      // Only this org's rows of the month, by its own parts.
      const pieces = orgUsagePieces(prices, orgTerms, window, monthSlices, (parts) =>
        store.usage
          .partsByAgent(parts, [orgId])
          .map(({ org_key: _org, agent_id, model, from, ...slice }) => ({ agent_id, model, slice, from })),
      );
      const includedMicros = includedUsage(orgTerms, window);
      const usageFeeMicros = usageFee(pieces, includedMicros).feeMicros;
      const agentFees = fees.reduce((sum, fee) => sum + fee.feeMicros, 0n);
      return {
        orgId,
        month,
        fees,
        usage: pieces.map((piece) => {
          const agent = agents.get(piece.agentId);
          return {
            agentId: piece.agentId,
            handle: agent?.handle ?? piece.agentId,
            name: agent?.name ?? piece.agentId,
            model: piece.model,
            from: piece.from,
            to: piece.to,
            markupBp: piece.markupBp,
            usage: piece.usage,
          };
        }),
        includedMicros,
        usageFeeMicros,
        minimumMicros: monthlyMinimum(orgTerms, window),
        minimumTopUpMicros: orgMinimumTopUp(orgTerms, orgInactive, window, agentFees + usageFeeMicros),
      };
    },

    /** Kept per scope until the billing revision moves, like the month's report. */
    trend(scope: OrgScope, last: string, count: number, orgId?: string) {
      if (orgId) liveOrg(store, scope, orgId);
      const asOf = toDateOf(monthOf(clock.now().getTime()));
      return asOfMemo(`trend|${last}|${count}|${orgId ?? ''}|${scope.sqlParam ?? '*'}`, asOf, () =>
        buildTrend(scope, last, count, orgId),
      );
    },
  };
  return service;
}

export type MarginsService = ReturnType<typeof createMarginsService>;

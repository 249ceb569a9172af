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
import { formatScaled } from '../../../shared/domain/decimal';
import { monthBounds, monthsEndingWith } from '../../../shared/domain/months';
import type { OrgScope } from '../store/org-scope';
import type { OrgRow } from '../store/repos/orgs-repo';
import { UNATTRIBUTED, type UsageSum } from '../store/repos/usage-repo';
import type { Store } from '../store/store';
import { createBillingSnapshot } from './billing-snapshot';
import { liveOrg } from './live-org';
import type { SettingsService } from './settings-service';

/** Revenue is whole cents, so dropping the last four micro digits is exact. */
const revenueText = (micros: bigint) => formatScaled(micros / 10_000n, 2);
const costText = (pico: bigint) => formatScaled(picoToMicros(pico), 6);
/** The margin from the exact cost (revenue in micro-units, cost in pico), rounded once. */
const exactMargin = (revenueMicros: bigint, costPico: bigint) =>
  margin(revenueMicros * PICO_PER_MICRO, costPico);
/** One collator for every sort: localeCompare would build one per comparison. */
const byName = new Intl.Collator();
const ZERO: UsageSum = { input_tokens: 0n, output_tokens: 0n, unpriced_tokens: 0n, cost_pico: 0n };

function add(a: UsageSum, b: UsageSum): UsageSum {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    unpriced_tokens: a.unpriced_tokens + b.unpriced_tokens,
    cost_pico: a.cost_pico + b.cost_pico,
  };
}

const tokens = (sum: UsageSum) => ({
  unpriced_tokens: Number(sum.unpriced_tokens),
  input_tokens: Number(sum.input_tokens),
  output_tokens: Number(sum.output_tokens),
});

const modelLine = (row: UsageSum & { model: string }) => ({
  model: row.model,
  cost: costText(row.cost_pico),
  priced: row.unpriced_tokens === 0n,
  input_tokens: Number(row.input_tokens),
  output_tokens: Number(row.output_tokens),
});

function budgetState(budgetMicros: number | null, costPico: bigint): 'ok' | 'warning' | 'exceeded' | null {
  if (budgetMicros === null) return null;
  const cost = picoToMicros(costPico);
  const budget = BigInt(budgetMicros);
  if (cost >= budget) return 'exceeded';
  return cost * 10n >= budget * 8n ? 'warning' : 'ok';
}

export function createMarginsService(store: Store, settings: SettingsService) {
  const snapshot = createBillingSnapshot(store);

  /** The orgs a report covers: one visible org, or all the scope sees. */
  function orgsFor(scope: OrgScope, orgId?: string): Map<string, OrgRow> {
    if (orgId) {
      const org = liveOrg(store, scope, orgId);
      return new Map([[org.id, org]]);
    }
    return new Map(store.orgs.list(scope, { status: 'current' }).map((org) => [org.id, org]));
  }

  /** The rollup filter for a report: null for everything (owners and admins), else the one org. */
  function usageKey(scope: OrgScope, orgs: Map<string, OrgRow>, orgId?: string): string | null | undefined {
    if (orgId) return orgId;
    if (scope.seesAll) return null;
    return orgs.size === 1 ? [...orgs.keys()][0] : undefined;
  }

  function buildMonth(
    scope: OrgScope,
    month: string,
    orgId?: string,
  ): Omit<MarginsReport, 'low_margin_threshold'> {
    const orgs = orgsFor(scope, orgId);
    const key = usageKey(scope, orgs, orgId);
    const { agents } = snapshot.current();
    const revenue = snapshot.revenue(month);
    const sums = key === undefined ? [] : store.usage.monthByAgent(month, key ?? undefined);
    const usage = new Map(sums.map((row) => [`${row.agent_id}|${row.org_key}`, row as UsageSum]));
    const unattributed = sums.filter((row) => row.org_key === UNATTRIBUTED).reduce<UsageSum>(add, ZERO);

    const perOrg = new Map<string, string[]>();
    for (const agentKey of new Set([...revenue.keys(), ...usage.keys()])) {
      const orgKey = agentKey.slice(agentKey.indexOf('|') + 1);
      if (!orgs.has(orgKey)) continue;
      const keys = perOrg.get(orgKey);
      if (keys) keys.push(agentKey);
      else perOrg.set(orgKey, [agentKey]);
    }

    let totalRevenue = 0n;
    let totalPico = key === null ? unattributed.cost_pico : 0n;
    let totalUnpriced = key === null ? unattributed.unpriced_tokens : 0n;
    let totalBilled = 0;
    const orgRows = [...orgs.values()].map((org) => {
      let orgRevenue = 0n;
      let orgSum = ZERO;
      let billed = 0;
      const agentRows = (perOrg.get(org.id) ?? []).flatMap((agentKey) => {
        const agent = agents.get(agentKey.slice(0, agentKey.indexOf('|')));
        if (!agent) return [];
        const agentRevenue = revenue.get(agentKey) ?? 0n;
        const sum = usage.get(agentKey) ?? ZERO;
        if (revenue.has(agentKey)) billed++;
        orgRevenue += agentRevenue;
        orgSum = add(orgSum, sum);
        return [
          {
            id: agent.id,
            handle: agent.handle,
            name: agent.name,
            revenue: revenueText(agentRevenue),
            cost: costText(sum.cost_pico),
            margin: exactMargin(agentRevenue, sum.cost_pico),
            ...tokens(sum),
          },
        ];
      });
      totalRevenue += orgRevenue;
      totalPico += orgSum.cost_pico;
      totalUnpriced += orgSum.unpriced_tokens;
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
    return {
      month,
      currency: 'USD',
      orgs: orgRows,
      unattributed: key === null ? { cost: costText(unattributed.cost_pico), ...tokens(unattributed) } : null,
      totals: {
        revenue: revenueText(totalRevenue),
        cost: costText(totalPico),
        margin: exactMargin(totalRevenue, totalPico),
        agents_billed: totalBilled,
        unpriced_tokens: Number(totalUnpriced),
      },
      cost_by_model: (key === undefined ? [] : store.usage.monthByModel(month, key))
        .map(modelLine)
        .sort((a, b) => byName.compare(a.model, b.model)),
    };
  }

  return {
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
      const { agents, stays, inactive, terms } = snapshot.current();
      const agent = agents.get(agentId);
      const visibleStays = [...stays.values()].filter(
        (stay) => stay.agentId === agentId && stay.spans.some((span) => clip(span, { from, to })),
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
          const spans = (stays.get(`${agentId}|${org.id}`)?.spans ?? []).flatMap(
            (span) => clip(span, { from, to }) ?? [],
          );
          const billable = totalMs(subtract(spans, inactive.get(org.id) ?? []));
          const models = usage.filter((row) => row.org_key === org.id);
          const cost = models.reduce((sum, row) => sum + row.cost_pico, 0n);
          const rev = revenue.get(`${agentId}|${org.id}`) ?? 0n;
          return {
            org: { id: org.id, slug: org.slug, name: org.name },
            days_assigned: formatScaled(BigInt(Math.round((billable / 86_400_000) * 100)), 2),
            rate: revenueText(BigInt(agent.rate_micros ?? terms.get(org.id)?.rate_micros ?? 0)),
            revenue: revenueText(rev),
            cost: costText(cost),
            margin: exactMargin(rev, cost),
            models: models.map(modelLine),
          };
        }),
      };
    },

    trend(scope: OrgScope, last: string, count: number, orgId?: string) {
      const months = monthsEndingWith(last, count);
      const orgs = orgsFor(scope, orgId);
      const key = usageKey(scope, orgs, orgId);
      const costs = new Map(
        (key === undefined ? [] : store.usage.byMonth(months[0] as string, last, key)).map((row) => [
          row.month,
          row.cost_pico,
        ]),
      );
      return months.map((month) => {
        let revenue = 0n;
        for (const [org, value] of snapshot.revenueByOrg(month)) if (orgs.has(org)) revenue += value;
        const cost = costs.get(month) ?? 0n;
        return {
          month,
          revenue: revenueText(revenue),
          cost: costText(cost),
          margin: exactMargin(revenue, cost),
        };
      });
    },
  };
}

export type MarginsService = ReturnType<typeof createMarginsService>;

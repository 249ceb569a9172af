import type { MarginsReport } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import {
  agentRevenueMicros,
  clip,
  costPico,
  margin,
  picoToMicros,
  type Span,
  subtract,
  totalMs,
} from '../../../shared/domain/billing';
import { formatScaled } from '../../../shared/domain/decimal';
import { monthBounds, monthsEndingWith } from '../../../shared/domain/months';
import type { OrgScope } from '../store/org-scope';
import type { BillableAgent } from '../store/repos/agents-repo';
import type { OrgRow } from '../store/repos/orgs-repo';
import type { UsageSlice } from '../store/repos/usage-repo';
import type { Store } from '../store/store';
import type { SettingsService } from './settings-service';

/** Revenue is already whole cents, so dropping the last four micro digits is exact. */
const revenueText = (micros: bigint) => formatScaled(micros / 10_000n, 2);
const costText = (micros: bigint) => formatScaled(micros, 6);
const iso = (ms: number) => new Date(ms).toISOString();

interface Tally {
  revenue: bigint;
  costPico: bigint;
  input: number;
  output: number;
  unpriced: number;
}

const emptyTally = (): Tally => ({ revenue: 0n, costPico: 0n, input: 0, output: 0, unpriced: 0 });

/** What a report over [from, to) needs, read once: who was where, when orgs slept, rates and prices. */
function loadPeriod(store: Store, from: number, to: number) {
  const assignments = store.agents.assignmentsOverlapping(iso(from), iso(to));
  const stays = new Map<string, Span[]>();
  for (const row of assignments) {
    const key = `${row.agent_id}|${row.org_id}`;
    const list = stays.get(key) ?? [];
    list.push({
      from: Date.parse(row.from_at),
      to: row.to_at ? Date.parse(row.to_at) : Number.POSITIVE_INFINITY,
    });
    stays.set(key, list);
  }
  const inactive = new Map<string, Span[]>();
  for (const row of store.orgActivity.overlapping(iso(from), iso(to))) {
    const list = inactive.get(row.org_id) ?? [];
    list.push({
      from: Date.parse(row.from_at),
      to: row.to_at ? Date.parse(row.to_at) : Number.POSITIVE_INFINITY,
    });
    inactive.set(row.org_id, list);
  }
  const agents = new Map<string, BillableAgent>(store.agents.billable().map((agent) => [agent.id, agent]));
  const prices = new Map(store.prices.all().map((p) => [`${p.model}|${p.effective_from}`, p]));
  return { stays, inactive, agents, prices };
}

type Period = ReturnType<typeof loadPeriod>;

function addUsage(tally: Tally, slice: UsageSlice, period: Period): void {
  tally.input += slice.input_tokens;
  tally.output += slice.output_tokens;
  const price = slice.price_from ? period.prices.get(`${slice.model}|${slice.price_from}`) : undefined;
  if (!price) tally.unpriced += slice.input_tokens + slice.output_tokens;
  else
    tally.costPico += costPico(
      slice.input_tokens,
      slice.output_tokens,
      BigInt(price.input_pico),
      BigInt(price.output_pico),
    );
}

/** Revenue of each agent in each org for one month, keyed "agent|org". */
function revenues(period: Period, orgs: Map<string, OrgRow>, month: Span): Map<string, bigint> {
  const result = new Map<string, bigint>();
  for (const [key, spans] of period.stays) {
    const [agentId, orgId] = key.split('|') as [string, string];
    const org = orgs.get(orgId);
    const agent = period.agents.get(agentId);
    if (!org || !agent || !spans.some((span) => clip(span, month))) continue;
    const rate = agent.rate_micros ?? org.rate_micros;
    result.set(
      key,
      agentRevenueMicros(rate, org.billing_mode, spans, period.inactive.get(orgId) ?? [], month),
    );
  }
  return result;
}

function budgetState(budgetMicros: number | null, costMicros: bigint): 'ok' | 'warning' | 'exceeded' | null {
  if (budgetMicros === null) return null;
  const budget = BigInt(budgetMicros);
  if (costMicros >= budget) return 'exceeded';
  return costMicros * 10n >= budget * 8n ? 'warning' : 'ok';
}

export function createMarginsService(store: Store, settings: SettingsService) {
  /** The orgs a report covers: one visible org, or all the scope sees. */
  function orgsFor(scope: OrgScope, orgId?: string): Map<string, OrgRow> {
    if (orgId) {
      const org = store.orgs.get(scope, orgId);
      if (!org || org.deleted_at) throw new AppError('NOT_FOUND', 'No such organization.');
      return new Map([[org.id, org]]);
    }
    return new Map(store.orgs.list(scope, { status: 'current' }).map((org) => [org.id, org]));
  }

  return {
    month(scope: OrgScope, month: string, orgId?: string): MarginsReport {
      const [from, to] = monthBounds(month);
      const span = { from, to };
      const orgs = orgsFor(scope, orgId);
      const period = loadPeriod(store, from, to);
      const revenue = revenues(period, orgs, span);
      const slices = orgId ? store.usage.monthOfOrg(month, orgId) : store.usage.month(month);

      const perAgent = new Map<string, Tally>();
      for (const [key, value] of revenue) perAgent.set(key, { ...emptyTally(), revenue: value });
      const unattributed = emptyTally();
      const byModel = new Map<string, Tally>();
      const includeUnattributed = scope.seesAll && !orgId;
      for (const slice of slices) {
        if (slice.org_id === null ? !includeUnattributed : !orgs.has(slice.org_id)) continue;
        const key = `${slice.agent_id}|${slice.org_id}`;
        const tally = slice.org_id === null ? unattributed : (perAgent.get(key) ?? emptyTally());
        if (slice.org_id !== null) perAgent.set(key, tally);
        addUsage(tally, slice, period);
        const modelTally = byModel.get(slice.model) ?? emptyTally();
        addUsage(modelTally, slice, period);
        byModel.set(slice.model, modelTally);
      }

      const orgTallies = new Map<
        string,
        { tally: Tally; agents: MarginsReport['orgs'][number]['agents']; billed: number }
      >();
      for (const [key, tally] of perAgent) {
        const [agentId, orgId] = key.split('|') as [string, string];
        const agent = period.agents.get(agentId);
        if (!agent) continue;
        const entry = orgTallies.get(orgId) ?? { tally: emptyTally(), agents: [], billed: 0 };
        entry.tally.revenue += tally.revenue;
        entry.tally.costPico += tally.costPico;
        entry.tally.input += tally.input;
        entry.tally.output += tally.output;
        entry.tally.unpriced += tally.unpriced;
        if (revenue.has(key)) entry.billed++;
        const cost = picoToMicros(tally.costPico);
        entry.agents.push({
          id: agent.id,
          handle: agent.handle,
          name: agent.name,
          revenue: revenueText(tally.revenue),
          cost: costText(cost),
          margin: margin(tally.revenue, cost),
          unpriced_tokens: tally.unpriced,
          input_tokens: tally.input,
          output_tokens: tally.output,
        });
        orgTallies.set(orgId, entry);
      }

      let totalRevenue = 0n;
      let totalPico = includeUnattributed ? unattributed.costPico : 0n;
      const orgRows = [...orgs.values()].map((org) => {
        const entry = orgTallies.get(org.id) ?? { tally: emptyTally(), agents: [], billed: 0 };
        const cost = picoToMicros(entry.tally.costPico);
        totalRevenue += entry.tally.revenue;
        totalPico += entry.tally.costPico;
        return {
          id: org.id,
          slug: org.slug,
          name: org.name,
          revenue: revenueText(entry.tally.revenue),
          cost: costText(cost),
          margin: margin(entry.tally.revenue, cost),
          unpriced_tokens: entry.tally.unpriced,
          input_tokens: entry.tally.input,
          output_tokens: entry.tally.output,
          agents_billed: entry.billed,
          budget: org.budget_micros === null ? null : revenueText(BigInt(org.budget_micros)),
          budget_state: budgetState(org.budget_micros, cost),
          agents: entry.agents.sort(
            (a, b) => a.name.localeCompare(b.name) || a.handle.localeCompare(b.handle),
          ),
        };
      });
      const totalCost = picoToMicros(totalPico);
      return {
        month,
        currency: 'USD',
        orgs: orgRows,
        unattributed: includeUnattributed
          ? {
              cost: costText(picoToMicros(unattributed.costPico)),
              unpriced_tokens: unattributed.unpriced,
              input_tokens: unattributed.input,
              output_tokens: unattributed.output,
            }
          : null,
        totals: {
          revenue: revenueText(totalRevenue),
          cost: costText(totalCost),
          margin: margin(totalRevenue, totalCost),
        },
        cost_by_model: [...byModel.entries()]
          .map(([model, tally]) => ({
            model,
            cost: costText(picoToMicros(tally.costPico)),
            priced: tally.unpriced === 0,
            input_tokens: tally.input,
            output_tokens: tally.output,
          }))
          .sort((a, b) => a.model.localeCompare(b.model)),
        low_margin_threshold: settings.current().lowMarginThreshold,
      };
    },

    agentMonth(scope: OrgScope, month: string, agentId: string) {
      const [from, to] = monthBounds(month);
      const span = { from, to };
      const period = loadPeriod(store, from, to);
      const agent = period.agents.get(agentId);
      const orgIds = [...period.stays.keys()]
        .filter((key) => key.startsWith(`${agentId}|`))
        .map((key) => key.split('|')[1] as string);
      const orgs = new Map(
        orgIds.flatMap((id) => {
          const org = store.orgs.get(scope, id);
          return org ? [[id, org] as const] : [];
        }),
      );
      const slices = store.usage
        .monthOfAgent(month, agentId)
        .filter((slice) => slice.org_id && orgs.has(slice.org_id));
      const visible = scope.seesAll || orgs.size > 0 || store.agents.get(scope, agentId) !== undefined;
      if (!agent || !visible) throw new AppError('NOT_FOUND', 'No such agent.');
      const revenue = revenues(period, orgs, span);
      const stays = [...orgs.values()].map((org) => {
        const spans = (period.stays.get(`${agentId}|${org.id}`) ?? []).flatMap((s) => clip(s, span) ?? []);
        const billable = subtract(spans, period.inactive.get(org.id) ?? []);
        const models = new Map<string, Tally>();
        const tally = emptyTally();
        for (const slice of slices.filter((s) => s.org_id === org.id)) {
          addUsage(tally, slice, period);
          const modelTally = models.get(slice.model) ?? emptyTally();
          addUsage(modelTally, slice, period);
          models.set(slice.model, modelTally);
        }
        const rev = revenue.get(`${agentId}|${org.id}`) ?? 0n;
        const cost = picoToMicros(tally.costPico);
        return {
          org: { id: org.id, slug: org.slug, name: org.name },
          days_assigned: formatScaled(BigInt(Math.round((totalMs(billable) / 86_400_000) * 100)), 2),
          rate: revenueText(BigInt(agent.rate_micros ?? org.rate_micros)),
          revenue: revenueText(rev),
          cost: costText(cost),
          margin: margin(rev, cost),
          models: [...models.entries()].map(([model, t]) => ({
            model,
            cost: costText(picoToMicros(t.costPico)),
            priced: t.unpriced === 0,
            input_tokens: t.input,
            output_tokens: t.output,
          })),
        };
      });
      return { month, agent: { id: agent.id, handle: agent.handle, name: agent.name }, stays };
    },

    trend(scope: OrgScope, last: string, count: number, orgId?: string) {
      const months = monthsEndingWith(last, count);
      const [from] = monthBounds(months[0] as string);
      const [, to] = monthBounds(last);
      const orgs = orgsFor(scope, orgId);
      const period = loadPeriod(store, from, to);
      // Cost of one org, of everything (owners and admins, unattributed included), or of the one org a user has.
      const costOrg = orgId ?? (scope.seesAll ? null : [...orgs.keys()][0]);
      const slices = costOrg === undefined ? [] : store.usage.trend(months[0] as string, last, costOrg);
      return months.map((month) => {
        const [start, end] = monthBounds(month);
        let revenue = 0n;
        for (const value of revenues(period, orgs, { from: start, to: end }).values()) revenue += value;
        const tally = emptyTally();
        for (const slice of slices)
          if (slice.month === month) addUsage(tally, { ...slice, org_id: null, agent_id: '' }, period);
        const cost = picoToMicros(tally.costPico);
        return { month, revenue: revenueText(revenue), cost: costText(cost), margin: margin(revenue, cost) };
      });
    },
  };
}

export type MarginsService = ReturnType<typeof createMarginsService>;

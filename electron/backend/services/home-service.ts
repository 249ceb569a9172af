import type { ImportJob } from '../../../shared/contract/billing';
import type { Attention } from '../../../shared/contract/home';
import { toScaled } from '../../../shared/domain/decimal';
import { monthOf } from '../../../shared/domain/months';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { Store } from '../store/store';
import { liveOrg } from './live-org';
import type { MarginsService } from './margins-service';
import type { UsageService } from './usage-service';

/** How many rows each list of the home page shows: enough to act on, few enough to read at a glance. */
const SHOWN = 5;
const TREND_MONTHS = 6;

/** Money text at micro-units, for comparing amounts exactly. */
const micros = (money: string) => toScaled(money, 6) ?? 0n;
const byMicros = (a: string, b: string) => {
  const diff = micros(a) - micros(b);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
};
/** No margin (cost with no revenue) is the worst margin; then the lowest. */
const marginOrder = (a: number | null, b: number | null) =>
  a === null ? (b === null ? 0 : -1) : b === null ? 1 : a - b;

const tokenCount = (usage: {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
}) => usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens;

/** Why an import needs a look; null when it does not (it worked, is running, or was or is being undone). */
function importProblem(job: ImportJob): string | null {
  if (job.undoneAt !== null || job.undoing) return null;
  if (job.status === 'failed') return job.error ?? 'The import failed.';
  if (job.status === 'interrupted') return 'The import was interrupted before it finished.';
  if (job.status === 'done' && job.imported === 0 && (job.bad > 0 || job.unmatched.length > 0))
    return job.bad > 0
      ? `Nothing imported: ${job.bad} ${job.bad === 1 ? 'row was' : 'rows were'} refused.`
      : 'Nothing imported: no alias maps its identities to an agent.';
  return null;
}

/**
 * Imports that went wrong and have not been put right since: a later import of the same file that
 * brought rows in settles an earlier failure.
 */
function unsettledImports(jobs: ImportJob[]): Attention['failed_imports'] {
  const settled = new Set<string>();
  const found: Attention['failed_imports'] = [];
  // Newest first, as the job list comes.
  for (const job of jobs) {
    if (job.status === 'done' && job.imported > 0 && job.undoneAt === null && !job.undoing) {
      settled.add(job.fileName);
      continue;
    }
    const problem = importProblem(job);
    if (problem === null || settled.has(job.fileName) || job.status === 'running') continue;
    found.push({
      id: job.id,
      fileName: job.fileName,
      status: job.status,
      problem,
      finishedAt: job.finishedAt,
    });
  }
  return found.slice(0, SHOWN);
}

export function createHomeService(store: Store, clock: Clock, margins: MarginsService, usage: UsageService) {
  return {
    /**
     * One call, one set of figures: the home page lays them out and never sums them again. With an
     * org, every figure is that org's (the margins report narrows, and refuses an org the scope does
     * not see); import failures stay, since an import feeds every org.
     */
    attention(
      scope: OrgScope,
      { month, orgId }: { month?: string; orgId?: string },
      withImports: boolean,
    ): Attention {
      const shown = month ?? monthOf(clock.now().getTime());
      const report = margins.month(scope, shown, orgId);
      const trend = margins.trend(scope, shown, TREND_MONTHS, orgId);
      const narrowed = orgId === undefined ? null : liveOrg(store, scope, orgId);
      const active = report.orgs.filter((org) => micros(org.revenue) > 0n || micros(org.cost) > 0n);
      const agentRows = report.orgs.flatMap((org) =>
        org.agents.map((agent) => ({ org: { id: org.id, slug: org.slug, name: org.name }, agent })),
      );
      const unattributedTokens = report.unattributed ? tokenCount(report.unattributed) : 0;
      return {
        month: shown,
        org: narrowed ? { id: narrowed.id, slug: narrowed.slug, name: narrowed.name } : null,
        currency: 'USD',
        clients: store.orgs.list(scope, { status: 'current' }).filter((org) => org.is_owner === 0).length,
        agents: new Set(agentRows.map(({ agent }) => agent.id)).size,
        totals: report.totals,
        trend: trend.map(({ month: m, revenue, cost, margin }) => ({ month: m, revenue, cost, margin })),
        low_margin_threshold: report.low_margin_threshold,
        lowest_margin: active
          .sort((a, b) => marginOrder(a.margin, b.margin) || byMicros(b.cost, a.cost))
          .slice(0, SHOWN)
          .map(({ id, slug, name, revenue, cost, margin }) => ({ id, slug, name, revenue, cost, margin })),
        costliest_agents: agentRows
          .filter(({ agent }) => micros(agent.cost) > 0n)
          .sort((a, b) => byMicros(b.agent.cost, a.agent.cost))
          .slice(0, SHOWN)
          .map(({ org, agent }) => ({
            id: agent.id,
            handle: agent.handle,
            name: agent.name,
            org,
            revenue: agent.revenue,
            cost: agent.cost,
            margin: agent.margin,
          })),
        budgets: report.orgs
          .flatMap((org) =>
            org.budget !== null && (org.budget_state === 'warning' || org.budget_state === 'exceeded')
              ? [
                  {
                    id: org.id,
                    slug: org.slug,
                    name: org.name,
                    budget: org.budget,
                    cost: org.cost,
                    // Basis points, exact, then a plain number for display.
                    used:
                      micros(org.budget) > 0n
                        ? Number((micros(org.cost) * 10_000n) / micros(org.budget)) / 10_000
                        : 1,
                    state: org.budget_state,
                  },
                ]
              : [],
          )
          .sort((a, b) => b.used - a.used),
        unpriced_models: report.cost_by_model
          .filter((line) => !line.priced)
          .map((line) => ({ model: line.model, tokens: tokenCount(line) }))
          .sort((a, b) => b.tokens - a.tokens),
        unattributed:
          report.unattributed && unattributedTokens > 0
            ? { cost: report.unattributed.cost, tokens: unattributedTokens }
            : null,
        failed_imports: withImports ? unsettledImports(usage.jobs()) : [],
      };
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;

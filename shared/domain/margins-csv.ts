import type { MarginsReport } from '../contract/billing';
import { type CsvColumn, csvDocument } from './csv';

/** One line of the margins file; a level leaves empty what it has none of. */
interface MarginsLine {
  level: 'org' | 'agent' | 'unattributed' | 'total';
  org?: string;
  org_slug?: string;
  agent?: string;
  agent_handle?: string;
  agents_billed?: number;
  revenue?: string;
  revenue_agents?: string;
  revenue_usage?: string;
  minimum_topup?: string;
  cost?: string;
  margin?: number | null;
  input_tokens?: number;
  output_tokens?: number;
  unpriced_tokens?: number;
  budget?: string | null;
  budget_state?: string | null;
}

const text = (header: string, value: (line: MarginsLine) => unknown): CsvColumn<MarginsLine> => ({
  header,
  kind: 'text',
  value,
});
const number = (header: string, value: (line: MarginsLine) => unknown): CsvColumn<MarginsLine> => ({
  header,
  kind: 'number',
  value,
});

function columns(month: string): CsvColumn<MarginsLine>[] {
  return [
    text('month', () => month),
    text('level', (line) => line.level),
    text('org', (line) => line.org),
    text('org_slug', (line) => line.org_slug),
    text('agent', (line) => line.agent),
    text('agent_handle', (line) => line.agent_handle),
    number('agents_billed', (line) => line.agents_billed),
    number('revenue_usd', (line) => line.revenue),
    number('revenue_agents_usd', (line) => line.revenue_agents),
    number('revenue_usage_usd', (line) => line.revenue_usage),
    number('minimum_topup_usd', (line) => line.minimum_topup),
    number('cost_usd', (line) => line.cost),
    number('margin', (line) => line.margin),
    number('input_tokens', (line) => line.input_tokens),
    number('output_tokens', (line) => line.output_tokens),
    number('unpriced_tokens', (line) => line.unpriced_tokens),
    number('budget_usd', (line) => line.budget),
    text('budget_state', (line) => line.budget_state),
  ];
}

function* marginsLines(report: MarginsReport): Generator<MarginsLine> {
  for (const org of report.orgs) {
    const { name, slug, agents, budget, budget_state, ...figures } = org;
    yield { level: 'org', org: name, org_slug: slug, budget, budget_state, ...figures };
    for (const agent of agents) {
      const { name: agentName, handle, ...agentFigures } = agent;
      yield {
        level: 'agent',
        org: name,
        org_slug: slug,
        agent: agentName,
        agent_handle: handle,
        ...agentFigures,
      };
    }
  }
  if (report.unattributed) yield { level: 'unattributed', ...report.unattributed };
  // The server counts the billed agents and the unpriced tokens of the totals.
  yield { level: 'total', ...report.totals };
}

/**
 * The month's margins as one CSV, the same from the console's Export button and from
 * `orgdeck report margins --format csv`: one line per org with its agents under it, the
 * unattributed usage and the totals. Revenue is revenue_agents + revenue_usage (+ minimum_topup on
 * org and total lines). Amounts are the server's exact decimal strings; margins
 * are fractions (0.6875).
 */
export function marginsCsv(report: MarginsReport): string {
  return csvDocument(columns(report.month), marginsLines(report));
}

export function marginsFileName(report: MarginsReport, orgSlug?: string): string {
  return `orgdeck-margins-${report.month}${orgSlug ? `-${orgSlug}` : ''}.csv`;
}

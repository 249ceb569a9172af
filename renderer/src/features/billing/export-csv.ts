import type { MarginsReport } from '../../../../shared/contract/billing';
import { spreadsheetCell } from '../../../../shared/domain/csv';

const HEADER = [
  'month',
  'level',
  'org',
  'org_slug',
  'agent',
  'agent_handle',
  'agents_billed',
  'revenue_usd',
  'cost_usd',
  'margin',
  'input_tokens',
  'output_tokens',
  'unpriced_tokens',
  'budget_usd',
  'budget_state',
];

const line = (cells: (string | number | null)[]) => cells.map(spreadsheetCell).join(',');

/**
 * The month's report as shown: one line per org, its agents under it, the unattributed usage and
 * the totals. Amounts are the server's exact decimal strings; margins are fractions (0.6875).
 */
export function marginsCsv(report: MarginsReport): string {
  const { month } = report;
  const lines = [line(HEADER)];
  for (const org of report.orgs) {
    lines.push(
      line([
        month,
        'org',
        org.name,
        org.slug,
        null,
        null,
        org.agents_billed,
        org.revenue,
        org.cost,
        org.margin,
        org.input_tokens,
        org.output_tokens,
        org.unpriced_tokens,
        org.budget,
        org.budget_state,
      ]),
    );
    for (const agent of org.agents) {
      lines.push(
        line([
          month,
          'agent',
          org.name,
          org.slug,
          agent.name,
          agent.handle,
          null,
          agent.revenue,
          agent.cost,
          agent.margin,
          agent.input_tokens,
          agent.output_tokens,
          agent.unpriced_tokens,
          null,
          null,
        ]),
      );
    }
  }
  if (report.unattributed) {
    const { cost, input_tokens, output_tokens, unpriced_tokens } = report.unattributed;
    lines.push(
      line([
        month,
        'unattributed',
        null,
        null,
        null,
        null,
        null,
        null,
        cost,
        null,
        input_tokens,
        output_tokens,
        unpriced_tokens,
        null,
        null,
      ]),
    );
  }
  const billed = report.totals.agents_billed;
  lines.push(
    line([
      month,
      'total',
      null,
      null,
      null,
      null,
      billed,
      report.totals.revenue,
      report.totals.cost,
      report.totals.margin,
      null,
      null,
      null,
      null,
      null,
    ]),
  );
  return `${lines.join('\r\n')}\r\n`;
}

export function marginsFileName(report: MarginsReport, orgSlug?: string): string {
  return `orgdeck-margins-${report.month}${orgSlug ? `-${orgSlug}` : ''}.csv`;
}

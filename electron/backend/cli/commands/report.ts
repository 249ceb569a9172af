import type { MarginsReport } from '../../../../shared/contract/billing';
import { csvLine } from '../../../../shared/domain/csv';
import { CliFailure, callAsOwner } from '../cli-context';
import { type Command, str } from '../command';
import { bySlug } from './org';

/** One line per agent, then one per org, the unattributed usage and the totals. */
export function marginsCsv(report: MarginsReport): string {
  const header = [
    'month',
    'level',
    'org',
    'agent',
    'revenue',
    'cost',
    'margin',
    'unpriced_tokens',
    'input_tokens',
    'output_tokens',
  ];
  const rows: (string | number | null)[][] = [];
  for (const org of report.orgs) {
    for (const agent of org.agents) {
      rows.push([
        report.month,
        'agent',
        org.slug,
        agent.handle,
        agent.revenue,
        agent.cost,
        agent.margin,
        agent.unpriced_tokens,
        agent.input_tokens,
        agent.output_tokens,
      ]);
    }
    rows.push([
      report.month,
      'org',
      org.slug,
      '',
      org.revenue,
      org.cost,
      org.margin,
      org.unpriced_tokens,
      org.input_tokens,
      org.output_tokens,
    ]);
  }
  const u = report.unattributed;
  if (u)
    rows.push([
      report.month,
      'unattributed',
      '',
      '',
      '',
      u.cost,
      null,
      u.unpriced_tokens,
      u.input_tokens,
      u.output_tokens,
    ]);
  rows.push([
    report.month,
    'total',
    '',
    '',
    report.totals.revenue,
    report.totals.cost,
    report.totals.margin,
    '',
    '',
    '',
  ]);
  return [header, ...rows].map(csvLine).join('\n');
}

export const reportCommand: Command = {
  words: ['report', 'margins'],
  usage: 'report margins --month YYYY-MM [--org SLUG] --format json|csv',
  summary: 'Revenue, cost and margin per org and agent for a month',
  options: { month: { type: 'string' }, org: { type: 'string' }, format: { type: 'string' } },
  async run({ values }, { backend, io, json }) {
    const format = str(values.format) ?? (json ? 'json' : undefined);
    if (format !== 'json' && format !== 'csv') {
      throw new CliFailure({ code: 'VALIDATION', message: '--format must be json or csv.' }, 2);
    }
    const slug = str(values.org);
    const report = await callAsOwner(backend, 'billing.margins', {
      month: str(values.month),
      org: slug ? (await bySlug(backend, slug)).id : undefined,
    });
    io.out(format === 'json' ? JSON.stringify(report, null, 2) : marginsCsv(report));
  },
};

import { CSV_LINE_END } from '../../../../shared/domain/csv';
import { marginsCsv } from '../../../../shared/domain/margins-csv';
import { CliFailure, callAsOwner } from '../cli-context';
import { type Command, str } from '../command';
import { bySlug } from './org';

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
    // The console's Export CSV, byte for byte; printing adds the last line end back.
    io.out(
      format === 'json' ? JSON.stringify(report, null, 2) : marginsCsv(report).slice(0, -CSV_LINE_END.length),
    );
  },
};

import { writeFile } from 'node:fs/promises';
import type { StatementSummary } from '../../../../shared/contract/statements';
import { CliFailure, callAsOwner, formatTable, requiredArg } from '../cli-context';
import type { Command } from '../command';
import { str } from '../command';
import { bySlug } from './org';

const numberArg = (positionals: string[]) =>
  requiredArg(positionals, 'Name the statement by its number, like ST-2026-0001.');

const summaryRow = (statement: StatementSummary) => ({
  number: statement.number,
  kind: statement.kind === 'credit_note' ? `credit note for ${statement.credits}` : 'statement',
  org: statement.org.slug,
  month: statement.month,
  total: statement.total,
  issued: statement.issued_at,
  status: statement.voided_by ? `voided by ${statement.voided_by}` : '',
});
const COLUMNS = ['number', 'kind', 'org', 'month', 'total', 'issued', 'status'];

const orgId = async (backend: Parameters<Command['run']>[1]['backend'], slug: string | undefined) =>
  slug ? (await bySlug(backend, slug)).id : undefined;

export const statementCommands: Command[] = [
  {
    words: ['statement', 'close'],
    usage: 'statement close --month YYYY-MM [--org SLUG] [--json]',
    summary:
      'Close an ended month: one numbered statement per org with revenue, carrying the adjustments of earlier closed months',
    options: { month: { type: 'string' }, org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const month = str(values.month);
      if (!month)
        throw new CliFailure({ code: 'VALIDATION', message: 'Name the month with --month YYYY-MM.' }, 2);
      const result = await callAsOwner(backend, 'statements.close', {
        month,
        org: await orgId(backend, str(values.org)),
      });
      if (json) return io.out(JSON.stringify(result, null, 2));
      const lines = result.issued.map(
        (s) => `Issued ${s.number} to ${s.org.name} for ${s.month}: ${s.total} USD.`,
      );
      const skipped = result.skipped.map((s) => `Skipped ${s.org}: ${s.reason}.`);
      io.out([...lines, ...skipped].join('\n') || 'No organization to bill.');
    },
  },
  {
    words: ['statement', 'list'],
    usage: 'statement list [--org SLUG] [--json]',
    summary: 'Issued statements and credit notes, newest first',
    options: { org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const list = await callAsOwner(backend, 'statements.list', {
        org: await orgId(backend, str(values.org)),
      });
      io.out(json ? JSON.stringify(list, null, 2) : formatTable(list.map(summaryRow), COLUMNS));
    },
  },
  {
    words: ['statement', 'show'],
    usage: 'statement show NUMBER --format json|csv|pdf [--out FILE]',
    summary: 'An issued statement as JSON, CSV or PDF, the same bytes every time (a PDF needs --out)',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const number = numberArg(positionals);
      const format = str(values.format) ?? (json ? 'json' : undefined);
      if (format !== 'json' && format !== 'csv' && format !== 'pdf')
        throw new CliFailure({ code: 'VALIDATION', message: '--format must be json, csv or pdf.' }, 2);
      const out = str(values.out);
      if (format === 'pdf' && !out)
        throw new CliFailure(
          { code: 'VALIDATION', message: 'A PDF goes to a file: say where with --out FILE.' },
          2,
        );
      const file = await callAsOwner(backend, 'statements.file', { number, format });
      const bytes = Buffer.from(file.base64, 'base64');
      if (out) {
        await writeFile(out, bytes);
        return io.out(`Wrote ${file.fileName} to ${out} (${bytes.length} bytes).`);
      }
      // Printing adds the last line end back.
      io.out(bytes.toString('utf8').replace(/\r?\n$/, ''));
    },
  },
  {
    words: ['statement', 'void'],
    usage: 'statement void NUMBER --reason R [--json]',
    summary:
      'Void a statement: a credit note (numbered in the same sequence) negates it; its month can be closed again',
    options: { reason: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const number = numberArg(positionals);
      const reason = str(values.reason);
      if (!reason) throw new CliFailure({ code: 'VALIDATION', message: 'Say why with --reason R.' }, 2);
      const credit = await callAsOwner(backend, 'statements.void', { number, reason });
      io.out(
        json
          ? JSON.stringify(credit, null, 2)
          : `Voided ${number}: credit note ${credit.number} (${credit.total} USD) issued to ${credit.org.name}.`,
      );
    },
  },
  {
    words: ['statement', 'pending'],
    usage: 'statement pending [--org SLUG] [--json]',
    summary: 'Changes to closed months the next statements will carry as adjustments',
    options: { org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const pending = await callAsOwner(backend, 'statements.pending', {
        org: await orgId(backend, str(values.org)),
      });
      if (json) return io.out(JSON.stringify(pending, null, 2));
      io.out(
        pending.length === 0
          ? 'No pending adjustments.'
          : formatTable(
              pending.map((p) => ({
                org: p.org.slug,
                month: p.for_month,
                line: p.description,
                amount: p.amount,
                cost: p.cost,
                reason: p.reason,
              })),
              ['org', 'month', 'line', 'amount', 'cost', 'reason'],
            ),
      );
    },
  },
];

import type { ClientStatement, StatementDocument } from '../contract/statements';
import { type CsvColumn, csvDocument } from './csv';

/** One CSV row: a statement line, or the total (kind "total"). */
type Row = Omit<ClientStatement['lines'][number], 'kind'> & {
  kind: string;
  cost?: string;
  markup?: string | null;
};

/**
 * A statement's lines as CSV, then its total, every row naming the statement. The MSP's copy (a
 * full document) adds the cost and markup columns; a client's has neither.
 */
export function statementCsv(statement: StatementDocument | ClientStatement): string {
  const staff = 'cost' in statement.totals;
  const number = statement.number;
  const columns: CsvColumn<Row>[] = [
    { header: 'number', kind: 'text', value: () => number },
    { header: 'kind', kind: 'text', value: (row) => row.kind },
    { header: 'description', kind: 'text', value: (row) => row.description },
    { header: 'agent_handle', kind: 'text', value: (row) => row.agent?.handle },
    { header: 'model', kind: 'text', value: (row) => row.model },
    { header: 'days', kind: 'number', value: (row) => row.days },
    { header: 'rate', kind: 'number', value: (row) => row.rate },
    { header: 'tokens', kind: 'number', value: (row) => row.tokens },
    ...(staff
      ? ([
          { header: 'cost', kind: 'number', value: (row) => row.cost },
          { header: 'markup_pct', kind: 'number', value: (row) => row.markup },
        ] satisfies CsvColumn<Row>[])
      : []),
    { header: 'amount', kind: 'number', value: (row) => row.amount },
    { header: 'adjusts_month', kind: 'text', value: (row) => row.adjustment?.for_month },
    { header: 'reason', kind: 'text', value: (row) => row.adjustment?.reason },
  ];
  const total: Row = {
    kind: 'total',
    description: 'Total',
    agent: null,
    model: null,
    days: null,
    rate: null,
    tokens: '',
    amount: statement.totals.total,
    adjustment: null,
    ...(staff ? { cost: (statement as StatementDocument).totals.cost, markup: null } : {}),
  };
  return csvDocument(columns, [...statement.lines, total]);
}

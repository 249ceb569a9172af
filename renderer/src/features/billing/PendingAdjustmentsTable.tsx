import { Table } from '@mantine/core';
import { groupThousands } from '../../ui/money';
import { exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { UsdTd } from './figures';
import { monthName } from './months';
import type { usePendingAdjustments } from './statement-queries';

type Adjustment = NonNullable<ReturnType<typeof usePendingAdjustments>['data']>[number];

const COLUMNS = ['org', 'month', 'line', 'reason', 'tokens', 'cost', 'amount'] as const;
const VALUES = {
  org: (row: Adjustment) => row.org.name,
  month: (row: Adjustment) => row.for_month,
  line: (row: Adjustment) => row.description,
  reason: (row: Adjustment) => row.reason,
  tokens: (row: Adjustment) => row.tokens,
  cost: (row: Adjustment) => exactAmount(row.cost),
  amount: (row: Adjustment) => exactAmount(row.amount),
};
const NUMERIC_COLUMNS: readonly string[] = ['tokens', 'cost', 'amount'];

/** What closed months gained or lost since they were billed, per org, month and line. */
export function PendingAdjustmentsTable({ rows }: { rows: Adjustment[] }) {
  const { sort, onSort } = useTableSort(
    'adjustments',
    COLUMNS,
    { column: 'org', direction: 'asc' },
    (column) => (NUMERIC_COLUMNS.includes(column) || column === 'month' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" aria-label="Pending adjustments">
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="org" label="Organization" {...th} />
            <SortableTh column="month" label="Month" {...th} />
            <SortableTh column="line" label="Line" {...th} />
            <SortableTh column="reason" label="Reason" {...th} />
            <SortableTh column="tokens" label="Tokens" numeric {...th} />
            <SortableTh column="cost" label="Cost" numeric {...th} />
            <SortableTh column="amount" label="Amount" numeric {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(rows, sort, VALUES).map((row) => (
            <Table.Tr key={`${row.org.id}-${row.for_month}-${row.kind}-${row.description}`}>
              <Table.Td>{row.org.name}</Table.Td>
              <Table.Td>{monthName(row.for_month)}</Table.Td>
              <Table.Td>{row.description}</Table.Td>
              <Table.Td>{row.reason}</Table.Td>
              <Table.Td ta="right">{groupThousands(row.tokens)}</Table.Td>
              <UsdTd amount={row.cost} />
              <UsdTd amount={row.amount} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

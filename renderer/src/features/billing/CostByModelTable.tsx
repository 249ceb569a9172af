import { Button, Group, Table, Text } from '@mantine/core';
import type { MarginsReport } from '../../../../shared/contract/billing';
import { formatCount } from '../../ui/format';
import { DataTable, exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { NumTd, UnpricedBadge } from './figures';
import { MoneyTd } from './MarginsTable';

type ModelRow = MarginsReport['cost_by_model'][number];

const COLUMNS = ['model', 'input', 'output', 'cost'] as const;
const VALUES = {
  model: (row: ModelRow) => row.model,
  input: (row: ModelRow) => row.input_tokens,
  output: (row: ModelRow) => row.output_tokens,
  cost: (row: ModelRow) => exactAmount(row.cost),
};

/** The month's tokens and cost per model, most costly first unless sorted otherwise. */
export function CostByModelTable({
  rows,
  onSetPrice,
}: {
  rows: MarginsReport['cost_by_model'];
  onSetPrice?: (model: string) => void;
}) {
  const { sort, onSort } = useTableSort('models', COLUMNS, { column: 'cost', direction: 'desc' }, (column) =>
    column === 'model' ? 'asc' : 'desc',
  );
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md">
        No tokens were used this month.
      </Text>
    );
  }
  const th = { sort, onSort };
  return (
    <DataTable minWidth={560} verticalSpacing="xs" aria-label="Cost by model">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="model" label="Model" {...th} />
          <SortableTh column="input" label="Input tokens" numeric {...th} />
          <SortableTh column="output" label="Output tokens" numeric {...th} />
          <SortableTh column="cost" label="Cost" numeric {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(rows, sort, VALUES).map((row) => (
          <Table.Tr key={row.model}>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" ff="monospace">
                  {row.model}
                </Text>
                {!row.priced && <UnpricedBadge />}
                {!row.priced && onSetPrice && (
                  <Button size="compact-xs" variant="subtle" onClick={() => onSetPrice(row.model)}>
                    Set price
                  </Button>
                )}
              </Group>
            </Table.Td>
            <NumTd>{formatCount(row.input_tokens)}</NumTd>
            <NumTd>{formatCount(row.output_tokens)}</NumTd>
            <MoneyTd value={row.cost} c={row.priced ? undefined : 'dimmed'} />
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

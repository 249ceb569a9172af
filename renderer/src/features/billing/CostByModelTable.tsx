import { Button, Group, Table, Text } from '@mantine/core';
import type { MarginsReport } from '../../../../shared/contract/billing';
import { formatCount } from '../../../../shared/domain/counts';
import {
  DataTable,
  exactAmount,
  type Sort,
  SortableTh,
  sortRows,
  useTableSort,
} from '../../ui/SortableTable';
import { NumTd, UnpricedBadge } from './figures';
import { MoneyTd } from './MarginsTable';

/** A model's tokens and cost in a month, as the Billing page and the agent drawer both list them. */
interface ModelLine {
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost: string;
}

export const MODEL_COLUMNS = ['model', 'input', 'output', 'cost'] as const;
type ModelColumn = (typeof MODEL_COLUMNS)[number];
export const MODEL_VALUES = {
  model: (line: ModelLine) => line.model,
  input: (line: ModelLine) => line.input_tokens,
  output: (line: ModelLine) => line.output_tokens,
  cost: (line: ModelLine) => exactAmount(line.cost),
};
/** Most costly first; names A to Z. */
export const modelNaturalDirection = (column: ModelColumn) => (column === 'model' ? 'asc' : 'desc');

export function ModelCostHeader({
  sort,
  onSort,
}: {
  sort: Sort<ModelColumn>;
  onSort: (column: ModelColumn) => void;
}) {
  const th = { sort, onSort };
  return (
    <Table.Thead>
      <Table.Tr>
        <SortableTh column="model" label="Model" {...th} />
        <SortableTh column="input" label="Input tokens" numeric {...th} />
        <SortableTh column="output" label="Output tokens" numeric {...th} />
        <SortableTh column="cost" label="Cost" numeric {...th} />
      </Table.Tr>
    </Table.Thead>
  );
}

/** The month's tokens and cost per model, most costly first unless sorted otherwise. */
export function CostByModelTable({
  rows,
  onSetPrice,
}: {
  rows: MarginsReport['cost_by_model'];
  onSetPrice?: (model: string) => void;
}) {
  const { sort, onSort } = useTableSort(
    'models',
    MODEL_COLUMNS,
    { column: 'cost', direction: 'desc' },
    modelNaturalDirection,
  );
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md">
        No tokens were used this month.
      </Text>
    );
  }
  return (
    <DataTable minWidth={560} verticalSpacing="xs" aria-label="Cost by model">
      <ModelCostHeader sort={sort} onSort={onSort} />
      <Table.Tbody>
        {sortRows(rows, sort, MODEL_VALUES).map((row) => (
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

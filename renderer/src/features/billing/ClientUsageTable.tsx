import { Table, Text } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/contract';
import { groupThousands } from '../../ui/money';
import { exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { UsdTd } from './figures';

type UsageRow = ChannelOutput<'statements.usage'>['rows'][number];

const COLUMNS = ['agent', 'model', 'input', 'output', 'cache', 'tokens', 'charged'] as const;
const VALUES = {
  agent: (row: UsageRow) => row.agent.name,
  model: (row: UsageRow) => row.model,
  input: (row: UsageRow) => BigInt(row.input_tokens),
  output: (row: UsageRow) => BigInt(row.output_tokens),
  cache: (row: UsageRow) => BigInt(row.cache_tokens),
  tokens: (row: UsageRow) => BigInt(row.tokens),
  charged: (row: UsageRow) => exactAmount(row.charged),
};
const TEXT_COLUMNS: readonly string[] = ['agent', 'model'];

/** An org's month as its own users see it: tokens and charges by agent and model. */
export function ClientUsageTable({ rows }: { rows: UsageRow[] }) {
  const { sort, onSort } = useTableSort(
    'usageSort',
    COLUMNS,
    { column: 'agent', direction: 'asc' },
    (column) => (TEXT_COLUMNS.includes(column) ? 'asc' : 'desc'),
  );
  const th = { sort, onSort };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" aria-label="Usage by agent and model">
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="agent" label="Agent" {...th} />
            <SortableTh column="model" label="Model" {...th} />
            <SortableTh column="input" label="Input" numeric {...th} />
            <SortableTh column="output" label="Output" numeric {...th} />
            <SortableTh column="cache" label="Cache" numeric {...th} />
            <SortableTh column="tokens" label="Tokens" numeric {...th} />
            <SortableTh column="charged" label="Charged" numeric {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(rows, sort, VALUES).map((row) => (
            <Table.Tr key={`${row.agent.handle}-${row.model}`}>
              <Table.Td>
                {row.agent.name}{' '}
                <Text span size="xs" c="dimmed">
                  @{row.agent.handle}
                </Text>
              </Table.Td>
              <Table.Td>{row.model}</Table.Td>
              <Table.Td ta="right">{groupThousands(row.input_tokens)}</Table.Td>
              <Table.Td ta="right">{groupThousands(row.output_tokens)}</Table.Td>
              <Table.Td ta="right">{groupThousands(row.cache_tokens)}</Table.Td>
              <Table.Td ta="right">{groupThousands(row.tokens)}</Table.Td>
              <UsdTd amount={row.charged} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { Button, Group, Table, Text } from '@mantine/core';
import type { MarginsReport } from '../../../../shared/contract/billing';
import { formatCount } from '../../ui/format';
import { usdExact } from '../../ui/money';
import { NumTd, NumTh, UnpricedBadge } from './figures';

export function CostByModelTable({
  rows,
  onSetPrice,
}: {
  rows: MarginsReport['cost_by_model'];
  onSetPrice?: (model: string) => void;
}) {
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md">
        No tokens were used this month.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Cost by model">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Model</Table.Th>
            <NumTh>Input tokens</NumTh>
            <NumTh>Output tokens</NumTh>
            <NumTh>Cost</NumTh>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
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
              <NumTd c={row.priced ? undefined : 'dimmed'}>{usdExact(row.cost)}</NumTd>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

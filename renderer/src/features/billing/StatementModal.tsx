import { Badge, Divider, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { groupThousands, usd } from '../../ui/money';
import { QueryState } from '../../ui/QueryState';
import { UsdTd } from './figures';
import { useStatementView } from './statement-queries';

/** An issued statement as its org sees it: charges only, with each adjustment's reason. */
export function StatementModal({ number, onClose }: { number: string | null; onClose(): void }) {
  const view = useStatementView(number);
  return (
    <Modal opened={number !== null} onClose={onClose} size="xl" title={number ? `Statement ${number}` : ''}>
      <QueryState query={view} loadingLabel="Loading the statement" errorTitle="Could not load the statement">
        {(statement) => (
          <Stack gap="md">
            <Group justify="space-between" align="flex-start">
              <div>
                <Text fw={700}>{statement.org.name}</Text>
                {statement.org.contact_name && <Text size="sm">{statement.org.contact_name}</Text>}
                {statement.org.contact_email && <Text size="sm">{statement.org.contact_email}</Text>}
              </div>
              <div style={{ textAlign: 'right' }}>
                <Text size="sm">
                  {statement.kind === 'credit_note' ? 'Credit note' : 'Statement'} for {statement.period}
                </Text>
                <Text size="sm" c="dimmed">
                  Issued {statement.issued_on} ({statement.timezone})
                </Text>
                {statement.credits && (
                  <Badge variant="light" color="grape">
                    Credits {statement.credits}
                  </Badge>
                )}
              </div>
            </Group>
            {statement.reason && <Text size="sm">Reason: {statement.reason}</Text>}
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Description</Table.Th>
                    <Table.Th ta="right">Days</Table.Th>
                    <Table.Th ta="right">Rate</Table.Th>
                    <Table.Th ta="right">Tokens</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {statement.lines.map((line, index) => (
                    // Lines have no identity of their own beyond their place in the issued document.
                    // biome-ignore lint/suspicious/noArrayIndexKey: an issued statement's lines never reorder
                    <Table.Tr key={index}>
                      <Table.Td>
                        <Text size="sm">{line.description}</Text>
                        {line.adjustment && (
                          <Text size="xs" c="dimmed">
                            {line.adjustment.reason}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{line.days ?? ''}</Table.Td>
                      <Table.Td ta="right">{line.rate ? usd(line.rate) : ''}</Table.Td>
                      <Table.Td ta="right">{line.tokens === '0' ? '' : groupThousands(line.tokens)}</Table.Td>
                      <UsdTd amount={line.amount} />
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Divider />
            <Stack gap={2} ml="auto" w={260}>
              {(
                [
                  ['Agent fees', statement.totals.fees],
                  ['AI usage', statement.totals.usage],
                  ['Minimum charge top-up', statement.totals.minimum_top_up],
                  ['Adjustments', statement.totals.adjustments],
                ] as const
              )
                // A top-up only when the month fell short of the minimum.
                .filter(([label, amount]) => label !== 'Minimum charge top-up' || Number(amount) !== 0)
                .map(([label, amount]) => (
                  <Group key={label} justify="space-between">
                    <Text size="sm">{label}</Text>
                    <Text size="sm" ff="monospace">
                      {usd(amount)}
                    </Text>
                  </Group>
                ))}
              <Group justify="space-between">
                <Text fw={700}>{statement.kind === 'credit_note' ? 'Total credited' : 'Total'}</Text>
                <Text fw={700} ff="monospace">
                  {usd(statement.totals.total)}
                </Text>
              </Group>
            </Stack>
          </Stack>
        )}
      </QueryState>
    </Modal>
  );
}

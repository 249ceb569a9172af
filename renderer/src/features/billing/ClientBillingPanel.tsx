import { Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { SwitcherOrg } from '../../app/use-switcher-org';
import { groupThousands } from '../../ui/money';
import { QueryState } from '../../ui/QueryState';
import { UsdTd } from './figures';
import { MonthPicker } from './MonthPicker';
import { monthName } from './months';
import { StatementsList } from './StatementsTable';
import { useOrgUsage } from './statement-queries';
import { useBillingMonth } from './use-billing-month';

/**
 * What an org's own users see of billing: its statements and its usage as charged. The server
 * answers them with charges only; nothing here could show a cost or a margin.
 */
export function ClientBillingPanel({ org }: { org: SwitcherOrg }) {
  const [month, setMonth] = useBillingMonth();
  const usage = useOrgUsage(month, org.id);

  return (
    <Stack gap="lg">
      <Paper withBorder>
        <Title order={3} size="h4" p="md" pb={0}>
          Statements
        </Title>
        <StatementsList
          orgId={org.id}
          showOrg={false}
          emptyHint="Statements appear here once a month is closed."
        />
      </Paper>
      <Paper withBorder>
        <Group justify="space-between" p="md" pb={0}>
          <Title order={3} size="h4">
            Usage in {monthName(month)}
          </Title>
          <MonthPicker value={month} onChange={setMonth} />
        </Group>
        <QueryState
          query={usage}
          loadingLabel="Loading usage"
          errorTitle="Could not load usage"
          isEmpty={(data) => data.rows.length === 0}
          empty={
            <Text size="sm" c="dimmed" p="md">
              No usage recorded in {monthName(month)}.
            </Text>
          }
        >
          {(data) => (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" aria-label="Usage by agent and model">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Agent</Table.Th>
                    <Table.Th>Model</Table.Th>
                    <Table.Th ta="right">Input</Table.Th>
                    <Table.Th ta="right">Output</Table.Th>
                    <Table.Th ta="right">Cache</Table.Th>
                    <Table.Th ta="right">Tokens</Table.Th>
                    <Table.Th ta="right">Charged</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.rows.map((row) => (
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
                      <Table.Td ta="right">
                        {groupThousands(
                          String(BigInt(row.cache_read_tokens) + BigInt(row.cache_write_tokens)),
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{groupThousands(row.tokens)}</Table.Td>
                      <UsdTd amount={row.charged} />
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
      </Paper>
    </Stack>
  );
}

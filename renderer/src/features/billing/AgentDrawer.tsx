import { Badge, Drawer, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconRobot } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { formatCount } from '../../../../shared/domain/counts';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { usd, usdExact } from '../../ui/money';
import { sortRows, useTableSort } from '../../ui/SortableTable';
import { CostByCategory } from './CostByCategory';
import { MODEL_COLUMNS, MODEL_VALUES, ModelCostHeader, modelNaturalDirection } from './CostByModelTable';
import { MarginValue, NUMERIC, NumTd, UnpricedBadge } from './figures';
import { monthName } from './months';
import { useAgentMonth } from './queries';

type Stay = ChannelOutput<'billing.agent'>['stays'][number];

function Fact({ label, value, title }: { label: string; value: ReactNode; title?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={600} style={NUMERIC} title={title} component="div">
        {value}
      </Text>
    </div>
  );
}

function StayCard({ stay, threshold }: { stay: Stay; threshold: number }) {
  // One sort for every stay's table, apart from the Billing page's own cost by model.
  const { sort, onSort } = useTableSort(
    'agentModels',
    MODEL_COLUMNS,
    { column: 'cost', direction: 'desc' },
    modelNaturalDirection,
  );
  return (
    <Paper withBorder p="md" role="region" aria-label={`In ${stay.org.name}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={700}>{stay.org.name}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {stay.org.slug}
          </Text>
        </Group>
        <SimpleGrid cols={3} spacing="sm" verticalSpacing="sm">
          <Fact label="Days assigned" value={stay.days_assigned} />
          <Fact label="Rate / month" value={usd(stay.rate)} />
          <Fact label="Revenue" value={usd(stay.revenue)} />
          <Fact label="Cost" value={usdExact(stay.cost)} />
          <Fact label="Margin" value={<MarginValue margin={stay.margin} threshold={threshold} />} />
        </SimpleGrid>
        {stay.models.length > 0 && (
          <CostByCategory
            cost={stay.cost}
            costByCategory={stay.cost_by_category}
            cacheSavings={stay.cache_savings}
            counts={stay}
            columns={3}
          />
        )}
        {stay.models.length === 0 ? (
          <Text size="sm" c="dimmed">
            No tokens used in {stay.org.name} this month.
          </Text>
        ) : (
          <Table verticalSpacing={6} aria-label={`Tokens by model in ${stay.org.name}`}>
            <ModelCostHeader sort={sort} onSort={onSort} />
            <Table.Tbody>
              {sortRows(stay.models, sort, MODEL_VALUES).map((model) => (
                <Table.Tr key={model.model}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" ff="monospace">
                        {model.model}
                      </Text>
                      {!model.priced && <UnpricedBadge />}
                    </Group>
                  </Table.Td>
                  <NumTd>{formatCount(model.input_tokens)}</NumTd>
                  <NumTd>{formatCount(model.output_tokens)}</NumTd>
                  <NumTd c={model.priced ? undefined : 'dimmed'}>{usdExact(model.cost)}</NumTd>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** One agent's month, per org it was in: days, rate, revenue, tokens and cost by model. */
export function AgentDrawer({
  month,
  agent,
  threshold,
  onClose,
}: {
  month: string;
  agent: { id: string; name: string; handle: string } | null;
  threshold: number;
  onClose: () => void;
}) {
  const detail = useAgentMonth(month, agent?.id ?? null);
  return (
    <Drawer
      opened={agent !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        agent && (
          <Group gap="xs">
            <Text fw={700}>{agent.name}</Text>
            <Text size="sm" c="dimmed" ff="monospace">
              @{agent.handle}
            </Text>
            <Badge variant="light">{monthName(month)}</Badge>
          </Group>
        )
      }
    >
      {detail.isPending ? (
        <Stack aria-busy="true" aria-label="Loading the agent's month">
          <Skeleton h={120} />
          <Skeleton h={120} />
        </Stack>
      ) : detail.isError ? (
        <ErrorState
          title="Could not load the agent's month"
          error={detail.error}
          onRetry={() => void detail.refetch()}
        />
      ) : detail.data.stays.length === 0 ? (
        <EmptyState icon={<IconRobot size={24} />} title="Nothing billed">
          <EmptyHint>
            {detail.data.agent.name} was in no organization you can see in {monthName(month)}.
          </EmptyHint>
        </EmptyState>
      ) : (
        <Stack>
          {detail.data.stays.map((stay) => (
            <StayCard key={stay.org.id} stay={stay} threshold={threshold} />
          ))}
        </Stack>
      )}
    </Drawer>
  );
}

import { Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import type { MarginsReport } from '../../../../shared/contract/billing';
import { formatCount } from '../../../../shared/domain/counts';
import { shareBasisPoints, usdExact } from '../../ui/money';
import { NUMERIC } from './figures';

type CostByCategoryFigures = MarginsReport['cost_by_category'];

const CATEGORIES: { key: keyof CostByCategoryFigures; label: string; color: string }[] = [
  { key: 'input', label: 'Input', color: 'blue' },
  { key: 'cache_read', label: 'Cache reads', color: 'teal' },
  { key: 'cache_write', label: 'Cache writes', color: 'grape' },
  { key: 'output', label: 'Output', color: 'orange' },
  { key: 'reasoning', label: 'Reasoning', color: 'red' },
];

/** Token counts shown beside the cost: what the categories were billed on. */
export interface CategoryTokens {
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
}

/**
 * What some usage cost per token category (as the server computed it), each category's share of
 * the whole as a bar, and what cache reads saved against the input price.
 */
export function CostByCategory({
  cost,
  costByCategory,
  cacheSavings,
  counts,
  columns = 6,
}: {
  /** Figures per row on wide screens (the drawer is narrower than the page). */
  columns?: number;
  cost: string;
  costByCategory: CostByCategoryFigures;
  cacheSavings: string;
  counts?: CategoryTokens;
}) {
  const shares = CATEGORIES.map((category) => ({
    ...category,
    amount: costByCategory[category.key],
    basisPoints: shareBasisPoints(costByCategory[category.key], cost) ?? 0,
  }));
  return (
    <Stack gap="sm">
      <Progress.Root size="lg" aria-hidden>
        {shares.map((share) => (
          <Progress.Section key={share.key} value={share.basisPoints / 100} color={share.color} />
        ))}
      </Progress.Root>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: columns }} spacing="sm" verticalSpacing="xs">
        {shares.map((share) => (
          <div key={share.key}>
            <Group gap={6} wrap="nowrap">
              <Text component="span" c={share.color} aria-hidden>
                ●
              </Text>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {share.label}
              </Text>
            </Group>
            <Text fw={600} style={NUMERIC}>
              {usdExact(share.amount)}
            </Text>
          </div>
        ))}
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Cache savings
          </Text>
          <Text fw={600} style={NUMERIC} c={cacheSavings.startsWith('-') ? 'red' : 'teal'}>
            {usdExact(cacheSavings)}
          </Text>
        </div>
      </SimpleGrid>
      {counts && (
        <Text size="xs" c="dimmed">
          {formatCount(counts.cache_read_tokens)} cache-read, {formatCount(counts.cache_write_tokens)}{' '}
          cache-write and {formatCount(counts.reasoning_tokens)} reasoning tokens. Savings are what cache
          reads would have cost at the input price, less what they cost.
        </Text>
      )}
    </Stack>
  );
}

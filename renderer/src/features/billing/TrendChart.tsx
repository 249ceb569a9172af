import { Group, Paper, Skeleton, Text, Title } from '@mantine/core';
import { ErrorState } from '../../ui/ErrorState';
import { useTrend } from './queries';
import { TrendPlot } from './TrendPlot';

/** Revenue and cost bars with the margin line, for the 12 months up to the selected one. */
export function TrendChart({ month, org }: { month: string; org?: string }) {
  const trend = useTrend(month, org);
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={4}>12-month trend</Title>
          <Text size="sm" c="dimmed">
            Revenue and cost per month (bars, left axis) and margin (line, right axis)
          </Text>
        </div>
      </Group>
      {trend.isPending ? (
        <Skeleton h={280} aria-busy="true" aria-label="Loading the trend" />
      ) : trend.isError ? (
        <ErrorState
          title="Could not load the trend"
          error={trend.error}
          onRetry={() => void trend.refetch()}
        />
      ) : (
        <TrendPlot rows={trend.data} month={month} />
      )}
    </Paper>
  );
}

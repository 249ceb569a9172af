import { CompositeChart } from '@mantine/charts';
import { Group, Paper, Stack, Text } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/contract';
import { percent } from '../../ui/format';
import { usd } from '../../ui/money';
import { NUMERIC } from './figures';
import { monthName, monthShort } from './months';

type TrendRow = ChannelOutput<'billing.trend'>[number];

interface Point {
  label: string;
  row: TrendRow;
  revenue: number;
  cost: number;
  margin: number | null;
}

/**
 * The chart needs numbers: amounts become floats here for drawing only. Every figure a person
 * reads (axis ticks aside) comes from the server's strings.
 */
const toPoint = (row: TrendRow): Point => ({
  label: monthShort(row.month),
  row,
  revenue: Number(row.revenue),
  cost: Number(row.cost),
  margin: row.margin === null ? null : Math.round(row.margin * 1000) / 10,
});

const SERIES_ORDER = ['revenue', 'cost', 'margin'];

const axisMoney = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});

function TrendTooltip({ point }: { point: Point | undefined }) {
  if (!point) return null;
  const { row } = point;
  return (
    <Paper withBorder shadow="md" p="xs" miw={180}>
      <Text fw={700} size="sm" mb={4}>
        {monthName(row.month)}
      </Text>
      {(
        [
          ['Revenue', usd(row.revenue), 'teal'],
          ['Cost', usd(row.cost), 'orange'],
          ['Margin', percent(row.margin), 'indigo'],
        ] as const
      ).map(([label, value, color]) => (
        <Group key={label} justify="space-between" gap="md" wrap="nowrap">
          <Group gap={6} wrap="nowrap">
            <span
              style={{
                width: 10,
                height: 10,
                borderRadius: 2,
                background: `var(--mantine-color-${color}-6)`,
              }}
            />
            <Text size="sm">{label}</Text>
          </Group>
          <Text size="sm" fw={600} style={NUMERIC}>
            {value}
          </Text>
        </Group>
      ))}
    </Paper>
  );
}

/**
 * The drawing itself, in its own module with the charts library (its largest): the Billing page's
 * code, and its other tabs, do not wait for it (LazyTrendPlot.ts loads it).
 */
export function TrendPlot({ rows, month }: { rows: TrendRow[]; month: string }) {
  return (
    <Stack gap={0} role="img" aria-label={`Revenue, cost and margin, 12 months to ${monthName(month)}`}>
      <CompositeChart
        h={280}
        data={rows.map(toPoint)}
        dataKey="label"
        withLegend
        legendProps={{
          verticalAlign: 'bottom',
          height: 36,
          itemSorter: (item) => SERIES_ORDER.indexOf(String(item.dataKey)),
        }}
        withRightYAxis
        maxBarWidth={26}
        gridAxis="x"
        valueFormatter={(value) => axisMoney.format(value)}
        rightYAxisProps={{ tickFormatter: (value: number) => `${value}%`, width: 56 }}
        yAxisProps={{ width: 64 }}
        tooltipProps={{
          content: ({ payload }) => <TrendTooltip point={payload?.[0]?.payload as Point | undefined} />,
        }}
        series={[
          { name: 'revenue', label: 'Revenue', color: 'teal.6', type: 'bar' },
          { name: 'cost', label: 'Cost', color: 'orange.6', type: 'bar' },
          { name: 'margin', label: 'Margin %', color: 'indigo.5', type: 'line', yAxisId: 'right' },
        ]}
      />
    </Stack>
  );
}

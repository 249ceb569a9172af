import { Box, Group, Paper, Stack, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { percent } from '../../../../shared/domain/percent';
import { lazily } from '../../../../shared/lazily';
import { usd } from '../../ui/money';
import { axisTicks } from './chart-ticks';
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

const axisMoney = lazily(
  () =>
    new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'USD',
      notation: 'compact',
      maximumFractionDigits: 1,
    }),
);

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

const SERIES = [
  { label: 'Revenue', color: 'var(--mantine-color-teal-6)' },
  { label: 'Cost', color: 'var(--mantine-color-orange-6)' },
  { label: 'Margin %', color: 'var(--mantine-color-indigo-5)' },
] as const;
const [REVENUE, COST, MARGIN] = SERIES;

/** The plot's box in pixels: the axes' labels sit in the margins around it. */
const HEIGHT = 244;
const TOP = 10;
const BOTTOM = 24;
const LEFT = 64;
const RIGHT = 56;
const MAX_BAR = 26;
const AXIS_TEXT = { fontSize: 12, fill: 'var(--mantine-color-dimmed)' } as const;

/**
 * Revenue and cost bars on the left axis and the margin line on the right, drawn as plain SVG: a
 * charts library was the largest code the Billing pages loaded (450 KB), for one chart.
 */
export function TrendPlot({ rows, month }: { rows: TrendRow[]; month: string }) {
  const { ref, width } = useElementSize();
  const [hovered, setHovered] = useState<number | null>(null);
  const points = rows.map(toPoint);
  const plotWidth = Math.max(0, width - LEFT - RIGHT);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const money = axisTicks(0, Math.max(0, ...points.flatMap((point) => [point.revenue, point.cost])));
  const margins = points.flatMap((point) => (point.margin === null ? [] : [point.margin]));
  const percents = axisTicks(Math.min(0, ...margins), Math.max(0, ...margins));
  const scale = (ticks: number[]) => {
    const low = ticks[0] ?? 0;
    const high = ticks.at(-1) ?? 1;
    return (value: number) => TOP + plotHeight - ((value - low) / (high - low)) * plotHeight;
  };
  const moneyY = scale(money);
  const percentY = scale(percents);
  const band = points.length > 0 ? plotWidth / points.length : 0;
  const bar = Math.min(MAX_BAR, band * 0.3);
  const centre = (index: number) => LEFT + band * (index + 0.5);
  // The margin line breaks where a month has no margin (no revenue): it moves to the next month that has one.
  const marginLine = points
    .map((point, index) =>
      point.margin === null
        ? ''
        : `${points[index - 1]?.margin == null ? 'M' : 'L'}${centre(index)},${percentY(point.margin)}`,
    )
    .join(' ');
  const shown = hovered === null ? undefined : points[hovered];
  return (
    <Stack gap={4} role="img" aria-label={`Revenue, cost and margin, 12 months to ${monthName(month)}`}>
      <Box
        ref={ref}
        pos="relative"
        h={HEIGHT}
        onMouseMove={(event) => {
          const x = event.clientX - event.currentTarget.getBoundingClientRect().left - LEFT;
          const index = Math.floor(x / band);
          setHovered(x >= 0 && index < points.length ? index : null);
        }}
        onMouseLeave={() => setHovered(null)}
      >
        {width > 0 && (
          <svg width={width} height={HEIGHT} aria-hidden>
            {money.map((tick) => (
              <g key={`money-${tick}`}>
                <line
                  x1={LEFT}
                  x2={LEFT + plotWidth}
                  y1={moneyY(tick)}
                  y2={moneyY(tick)}
                  stroke="var(--mantine-color-default-border)"
                  strokeDasharray="4 4"
                />
                <text x={LEFT - 8} y={moneyY(tick)} textAnchor="end" dominantBaseline="middle" {...AXIS_TEXT}>
                  {axisMoney().format(tick)}
                </text>
              </g>
            ))}
            {percents.map((tick) => (
              <text
                key={`percent-${tick}`}
                x={LEFT + plotWidth + 8}
                y={percentY(tick)}
                dominantBaseline="middle"
                {...AXIS_TEXT}
              >
                {tick}%
              </text>
            ))}
            {points.map((point, index) => (
              <g key={point.row.month}>
                <rect
                  x={LEFT + band * index}
                  y={TOP}
                  width={band}
                  height={plotHeight}
                  fill={hovered === index ? 'var(--mantine-color-default-hover)' : 'transparent'}
                />
                <rect
                  x={centre(index) - bar - 1}
                  y={moneyY(point.revenue)}
                  width={bar}
                  height={moneyY(0) - moneyY(point.revenue)}
                  fill={REVENUE.color}
                />
                <rect
                  x={centre(index) + 1}
                  y={moneyY(point.cost)}
                  width={bar}
                  height={moneyY(0) - moneyY(point.cost)}
                  fill={COST.color}
                />
                <text x={centre(index)} y={HEIGHT - 6} textAnchor="middle" {...AXIS_TEXT}>
                  {point.label}
                </text>
              </g>
            ))}
            <path d={marginLine} fill="none" stroke={MARGIN.color} strokeWidth={2} />
            {points.map((point, index) =>
              point.margin === null ? null : (
                <circle
                  key={`dot-${point.row.month}`}
                  cx={centre(index)}
                  cy={percentY(point.margin)}
                  r={3}
                  fill={MARGIN.color}
                  pointerEvents="none"
                />
              ),
            )}
          </svg>
        )}
        {hovered !== null && shown && (
          <Box
            pos="absolute"
            top={TOP}
            style={
              centre(hovered) > width / 2
                ? { right: width - centre(hovered) + 12, pointerEvents: 'none' }
                : { left: centre(hovered) + 12, pointerEvents: 'none' }
            }
          >
            <TrendTooltip point={shown} />
          </Box>
        )}
      </Box>
      <Group gap="lg" justify="center">
        {SERIES.map((series) => (
          <Group key={series.label} gap={6} wrap="nowrap">
            <span style={{ width: 10, height: 10, borderRadius: 2, background: series.color }} />
            <Text size="sm">{series.label}</Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}

import { Badge, Group, Paper, Table, type TableTdProps, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { percent, wholePercent } from '../../../../shared/domain/percent';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { usd, usdExact } from '../../ui/money';

/** Right-aligned, tabular digits: columns of amounts line up. */
export const NUMERIC = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** A headline figure's card (billing summary, home): its label and icon, the figure, a line under it. */
export function FigureCard({
  label,
  icon,
  children,
  footer,
}: {
  label: string;
  icon: ReactNode;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <Paper withBorder p="md" role="group" aria-label={label}>
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Text size="xs" tt="uppercase" fw={700} c="dimmed">
          {label}
        </Text>
        <Text c="dimmed" component="span" display="flex" aria-hidden>
          {icon}
        </Text>
      </Group>
      {children}
      <Text size="xs" c="dimmed" mt={4}>
        {footer}
      </Text>
    </Paper>
  );
}

/** A headline amount: rounded to the cent, the exact figure on hover. */
export const BigAmount = ({ value }: { value: string }) => (
  <Text fz={26} fw={700} lh={1.2} style={NUMERIC} title={usdExact(value)}>
    {usd(value)}
  </Text>
);

export function NumTd({ children, title, ...props }: TableTdProps & { title?: string; children: ReactNode }) {
  return (
    <Table.Td ta="right" style={NUMERIC} title={title} {...props}>
      {children}
    </Table.Td>
  );
}

/** An amount in a statement's tables: to the cent, in the monospace the statement PDF prints. */
export function UsdTd({ amount }: { amount: string }) {
  return (
    <Table.Td ta="right" ff="monospace">
      {usd(amount)}
    </Table.Td>
  );
}

export function NumTh({ children }: { children: ReactNode }) {
  return (
    <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
      {children}
    </Table.Th>
  );
}

export const isLow = (margin: number | null, threshold: number) => margin !== null && margin < threshold;

/** A margin in percent: red below the low-margin threshold, teal above it, dimmed without revenue. */
export function MarginValue({
  margin,
  threshold,
  size = 'sm',
}: {
  margin: number | null;
  threshold: number;
  size?: 'sm' | 'md' | 'xl';
}) {
  if (margin === null) {
    return (
      <Text span c="dimmed" size={size} title="No revenue this month">
        —
      </Text>
    );
  }
  const low = isLow(margin, threshold);
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end" component="span" display="inline-flex">
      {low && (
        <HoverTooltip label={`Below the low-margin threshold of ${percent(threshold)}`}>
          <IconAlertTriangle
            size={size === 'xl' ? 20 : 14}
            color="var(--mantine-color-red-text)"
            aria-label="Low margin"
          />
        </HoverTooltip>
      )}
      <Text span size={size} fw={600} c={low ? 'red' : 'teal'} style={NUMERIC}>
        {percent(margin)}
      </Text>
    </Group>
  );
}

const BUDGET_STATES = {
  ok: { color: 'teal', label: 'Within budget' },
  warning: { color: 'yellow', label: 'Past the 80% warning' },
  exceeded: { color: 'red', label: 'Over budget' },
} as const;

export type BudgetState = keyof typeof BUDGET_STATES;

/** The share of the budget actually used ("85% of budget"), coloured by its state. */
export function BudgetBadge({
  state,
  use,
  size = 'sm',
}: {
  state: BudgetState | null;
  use: number | null;
  size?: 'xs' | 'sm' | 'md';
}) {
  if (state === null || use === null) {
    return (
      <Text span size="sm" c="dimmed">
        No budget
      </Text>
    );
  }
  const { color, label } = BUDGET_STATES[state];
  return (
    <HoverTooltip label={label}>
      <Badge size={size} color={color} variant={state === 'ok' ? 'light' : 'filled'}>
        {wholePercent(use)} of budget
      </Badge>
    </HoverTooltip>
  );
}

export function UnpricedBadge({ count }: { count?: number }) {
  return (
    <Badge size="sm" color="yellow" variant="light" leftSection={<IconAlertTriangle size={12} />}>
      {count === undefined ? 'Unpriced' : `${count.toLocaleString('en-US')} unpriced`}
    </Badge>
  );
}

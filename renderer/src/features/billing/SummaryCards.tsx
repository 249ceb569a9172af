import { Badge, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { IconAlertTriangle, IconCoin, IconPercentage, IconReceipt, IconSum } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatCount } from '../../ui/format';
import { subtractMoney, usd, usdExact } from '../../ui/money';
import { MarginValue, NUMERIC } from './figures';

function Card({
  label,
  icon,
  children,
  footer,
}: {
  label: string;
  icon: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
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
      {footer && (
        <Text size="xs" c="dimmed" mt={4}>
          {footer}
        </Text>
      )}
    </Paper>
  );
}

const Amount = ({ value }: { value: string }) => (
  <Text fz={26} fw={700} lh={1.2} style={NUMERIC} title={usdExact(value)}>
    {usd(value)}
  </Text>
);

export interface Summary {
  revenue: string;
  /** Agent fees, the usage fee and the minimum's top-up that make up the revenue. */
  revenueAgents: string;
  revenueUsage: string;
  minimumTopUp: string;
  cost: string;
  margin: number | null;
  unpricedTokens: number;
}

/** Revenue, cost, margin and unpriced tokens of whatever the screen covers. */
export function SummaryCards({ summary, threshold }: { summary: Summary; threshold: number }) {
  const { revenue, cost, margin, unpricedTokens, revenueAgents, revenueUsage, minimumTopUp } = summary;
  const split = `Agents ${usd(revenueAgents)} · usage ${usd(revenueUsage)}${
    minimumTopUp === '0.00' ? '' : ` · minimum +${usd(minimumTopUp)}`
  }`;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      <Card label="Revenue" icon={<IconReceipt size={18} />} footer={split}>
        <Amount value={revenue} />
      </Card>
      <Card label="Cost" icon={<IconCoin size={18} />} footer="Tokens × model prices">
        <Amount value={cost} />
      </Card>
      <Card
        label="Margin"
        icon={<IconPercentage size={18} />}
        footer={`${usd(subtractMoney(revenue, cost))} after cost`}
      >
        <Text fz={26} fw={700} lh={1.2} component="div">
          <MarginValue margin={margin} threshold={threshold} size="xl" />
        </Text>
      </Card>
      <Card
        label="Unpriced tokens"
        icon={<IconSum size={18} />}
        footer={unpricedTokens > 0 ? 'Models without a price cost nothing here' : 'Every model has a price'}
      >
        <Group gap="xs" wrap="wrap">
          <Text fz={26} fw={700} lh={1.2} style={NUMERIC}>
            {formatCount(unpricedTokens)}
          </Text>
          {unpricedTokens > 0 && (
            <Badge color="yellow" variant="light" size="sm" leftSection={<IconAlertTriangle size={12} />}>
              Set prices
            </Badge>
          )}
        </Group>
      </Card>
    </SimpleGrid>
  );
}

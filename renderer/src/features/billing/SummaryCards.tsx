import { Badge, Group, SimpleGrid, Text } from '@mantine/core';
import { IconAlertTriangle, IconCoin, IconPercentage, IconReceipt, IconSum } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Forecast } from '../../../../shared/contract/billing';
import { formatCount } from '../../../../shared/domain/counts';
import { subtractMoney, usd } from '../../ui/money';
import { BigAmount, FigureCard, MarginValue, NUMERIC } from './figures';

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

/** A figure so far, and beside it where the month is heading. */
function ToDate({ children, forecast }: { children: ReactNode; forecast: ReactNode }) {
  return (
    <Group gap="md" align="flex-end" wrap="wrap">
      <div>
        <Text size="xs" c="dimmed">
          To date
        </Text>
        {children}
      </div>
      <div>
        <Text size="xs" c="dimmed">
          Forecast
        </Text>
        <Text fz={18} fw={600} lh={1.4} c="dimmed" component="div">
          {forecast}
        </Text>
      </div>
    </Group>
  );
}

/**
 * Revenue, cost, margin and unpriced tokens of whatever the screen covers; for the current month,
 * what has accrued so far beside the month's forecast.
 */
export function SummaryCards({
  summary,
  threshold,
  forecast = null,
}: {
  summary: Summary;
  threshold: number;
  forecast?: Forecast | null;
}) {
  const { revenue, cost, margin, unpricedTokens, revenueAgents, revenueUsage, minimumTopUp } = summary;
  const split = `Agents ${usd(revenueAgents)} · usage ${usd(revenueUsage)}${
    minimumTopUp === '0.00' ? '' : ` · minimum +${usd(minimumTopUp)}`
  }`;
  const withForecast = (figure: ReactNode, ahead: ReactNode) =>
    forecast ? <ToDate forecast={ahead}>{figure}</ToDate> : figure;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      <FigureCard
        label="Revenue"
        icon={<IconReceipt size={18} />}
        footer={forecast ? `${split} so far` : split}
      >
        {withForecast(
          <BigAmount value={revenue} />,
          forecast && <span style={NUMERIC}>{usd(forecast.revenue)}</span>,
        )}
      </FigureCard>
      <FigureCard
        label="Cost"
        icon={<IconCoin size={18} />}
        footer={forecast ? 'Forecast: the last 7 days’ run rate to the month’s end' : 'Tokens × model prices'}
      >
        {withForecast(
          <BigAmount value={cost} />,
          forecast && <span style={NUMERIC}>{usd(forecast.cost)}</span>,
        )}
      </FigureCard>
      <FigureCard
        label="Margin"
        icon={<IconPercentage size={18} />}
        footer={`${usd(subtractMoney(revenue, cost))} after cost`}
      >
        {withForecast(
          <Text fz={26} fw={700} lh={1.2} component="div">
            <MarginValue margin={margin} threshold={threshold} size="xl" />
          </Text>,
          forecast && <MarginValue margin={forecast.margin} threshold={threshold} size="md" />,
        )}
      </FigureCard>
      <FigureCard
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
      </FigureCard>
    </SimpleGrid>
  );
}

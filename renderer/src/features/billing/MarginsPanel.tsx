import { Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import type { SessionUser } from '../../../../shared/contract/session';
import { marginsCsv, marginsFileName } from '../../../../shared/domain/margins-csv';
import { allows } from '../../../../shared/domain/permissions';
import type { SwitcherOrg } from '../../app/use-switcher-org';
import { downloadText } from '../../ui/download';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { AgentDrawer } from './AgentDrawer';
import { CostByCategory } from './CostByCategory';
import { CostByModelTable } from './CostByModelTable';
import { type AgentRow, MarginsTable } from './MarginsTable';
import { MonthPicker } from './MonthPicker';
import { monthName } from './months';
import { useMargins } from './queries';
import { SetPriceModal } from './SetPriceModal';
import { SummaryCards } from './SummaryCards';
import { TrendChart } from './TrendChart';
import { useBillingMonth } from './use-billing-month';

/** Expanded = the defaults (a lone org opens by itself) toggled by the user's clicks. */
function useExpanded() {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  return {
    expanded(defaults: string[]): ReadonlySet<string> {
      const result = new Set(defaults);
      for (const id of toggled) {
        if (result.has(id)) result.delete(id);
        else result.add(id);
      }
      return result;
    },
    toggle: (id: string) =>
      setToggled((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
  };
}

/** The month's margins for the switcher's org or all orgs: cards, orgs and agents, models, trend. */
export function MarginsPanel({ user, org }: { user: SessionUser; org: SwitcherOrg }) {
  const [month, setMonth] = useBillingMonth();
  const margins = useMargins(month, org.id);
  const { expanded, toggle } = useExpanded();
  const [agent, setAgent] = useState<AgentRow | null>(null);
  const [pricing, setPricing] = useState<string | null>(null);
  const canManage = allows(user, 'billing.manage');
  const report = margins.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <MonthPicker value={month} onChange={setMonth} />
          <Text c="dimmed" size="sm">
            {monthName(month)} · {org.name ?? 'All organizations'} · USD
          </Text>
        </Group>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          disabled={!report || margins.isPlaceholderData}
          onClick={() => {
            if (!report) return;
            const slug = org.id ? report.orgs.find((row) => row.id === org.id)?.slug : undefined;
            downloadText(marginsFileName(report, slug), marginsCsv(report));
          }}
        >
          Export CSV
        </Button>
      </Group>
      {margins.isPending ? (
        <Stack aria-busy="true" aria-label="Loading margins">
          <Skeleton h={96} />
          <Skeleton h={240} />
        </Stack>
      ) : margins.isError ? (
        <ErrorState
          title="Could not load the margins"
          error={margins.error}
          onRetry={() => void margins.refetch()}
        />
      ) : (
        <>
          <SummaryCards
            threshold={margins.data.low_margin_threshold}
            summary={{
              revenue: margins.data.totals.revenue,
              revenueAgents: margins.data.totals.revenue_agents,
              revenueUsage: margins.data.totals.revenue_usage,
              minimumTopUp: margins.data.totals.minimum_topup,
              cost: margins.data.totals.cost,
              margin: margins.data.totals.margin,
              unpricedTokens: margins.data.totals.unpriced_tokens,
            }}
            forecast={margins.data.totals.forecast}
          />
          <Paper withBorder p="md" role="region" aria-label="Cost by token category">
            <Stack gap="sm">
              <div>
                <Title order={4}>Cost by token category</Title>
                <Text size="sm" c="dimmed">
                  What the month's tokens cost per category, and what prompt caching saved.
                </Text>
              </div>
              <CostByCategory
                cost={margins.data.totals.cost}
                costByCategory={margins.data.cost_by_category}
                cacheSavings={margins.data.cache_savings}
              />
              {margins.data.fallbacks.length > 0 && (
                <Text size="xs" c="dimmed">
                  Prices fell back where a model's price names no rate:{' '}
                  {margins.data.fallbacks.map((row) => `${row.model} (${row.rules.join('; ')})`).join(', ')}.
                </Text>
              )}
            </Stack>
          </Paper>
          <Paper withBorder p={0}>
            <Group justify="space-between" px="md" pt="md" pb="xs">
              <div>
                <Title order={4}>Organizations</Title>
                <Text size="sm" c="dimmed">
                  Click an organization for its agents, an agent for its month. Margins below{' '}
                  {Math.round(margins.data.low_margin_threshold * 100)}% are highlighted.
                </Text>
              </div>
            </Group>
            {margins.data.orgs.length === 0 ? (
              <EmptyState icon={<IconReceipt size={24} />} title="No organizations">
                <EmptyHint>There is no organization to bill in this view.</EmptyHint>
              </EmptyState>
            ) : (
              <MarginsTable
                report={margins.data}
                expanded={expanded(margins.data.orgs.length === 1 ? [margins.data.orgs[0]?.id ?? ''] : [])}
                onToggle={toggle}
                onAgent={setAgent}
              />
            )}
          </Paper>
          <TrendChart month={month} org={org.id} />
          <Paper withBorder p={0}>
            <div style={{ padding: 'var(--mantine-spacing-md) var(--mantine-spacing-md) 0' }}>
              <Title order={4}>Cost by model</Title>
              <Text size="sm" c="dimmed">
                Tokens used this month and what they cost at each model's price.
              </Text>
            </div>
            <CostByModelTable
              rows={margins.data.cost_by_model}
              onSetPrice={canManage ? setPricing : undefined}
            />
          </Paper>
        </>
      )}
      <AgentDrawer
        month={month}
        agent={agent}
        threshold={report?.low_margin_threshold ?? 0}
        onClose={() => setAgent(null)}
      />
      {pricing !== null && <SetPriceModal model={pricing} onClose={() => setPricing(null)} />}
    </Stack>
  );
}

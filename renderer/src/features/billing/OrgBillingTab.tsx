import { Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight, IconReceiptOff } from '@tabler/icons-react';
import { useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows } from '../../../../shared/domain/permissions';
import { patchedAddress } from '../../app/address';
import { navigate, paths } from '../../app/routes';
import { orgParam } from '../../app/use-switcher-org';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { AgentDrawer } from './AgentDrawer';
import { BudgetCard } from './BudgetCard';
import { type AgentRow, AgentsTable } from './MarginsTable';
import { MonthPicker } from './MonthPicker';
import { monthName } from './months';
import { useMargins } from './queries';
import { SummaryCards } from './SummaryCards';
import { UsageTermsCard } from './UsageTermsCard';
import { useBillingMonth } from './use-billing-month';

/** The org detail's Billing tab: the month's margins of this org, its agents, and its budget. */
export function OrgBillingTab({ org, user }: { org: Org; user: SessionUser }) {
  const [month, setMonth] = useBillingMonth();
  const deleted = org.status === 'deleted';
  const margins = useMargins(month, org.id, !deleted);
  const [agent, setAgent] = useState<AgentRow | null>(null);
  const row = margins.data?.orgs.find((candidate) => candidate.id === org.id);

  if (deleted) {
    return (
      <Paper withBorder>
        <EmptyState icon={<IconReceiptOff size={24} />} title="No billing for a deleted organization">
          <EmptyHint>Restore {org.name} to see its margins and budget again.</EmptyHint>
        </EmptyState>
      </Paper>
    );
  }

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Group gap="sm">
          <MonthPicker value={month} onChange={setMonth} />
          <Title order={4}>
            {org.name} · {monthName(month)}
          </Title>
        </Group>
        <Button
          variant="subtle"
          rightSection={<IconArrowRight size={16} />}
          onClick={() => navigate(patchedAddress(paths.billing(), { ...orgParam(org), month }))}
        >
          Open in Billing
        </Button>
      </Group>
      {margins.isPending ? (
        <Stack aria-busy="true" aria-label="Loading margins">
          <Skeleton h={96} />
          <Skeleton h={160} />
        </Stack>
      ) : margins.isError ? (
        <ErrorState
          title="Could not load the margins"
          error={margins.error}
          onRetry={() => void margins.refetch()}
        />
      ) : row ? (
        <>
          <SummaryCards
            threshold={margins.data.low_margin_threshold}
            summary={{
              revenue: row.revenue,
              revenueAgents: row.revenue_agents,
              revenueUsage: row.revenue_usage,
              minimumTopUp: row.minimum_topup,
              cost: row.cost,
              margin: row.margin,
              unpricedTokens: row.unpriced_tokens,
            }}
            forecast={row.forecast}
          />
          <BudgetCard
            key={`${org.id}|${org.budget ?? ''}`}
            org={org}
            month={month}
            cost={row.cost}
            state={row.budget_state}
            use={row.budget_use}
            pace={margins.data.pace}
            forecast={row.forecast}
            editable={allows(user, 'billing.manage')}
          />
          <UsageTermsCard key={org.id} org={org} editable={allows(user, 'billing.manage')} />
          <Paper withBorder p={0}>
            <div style={{ padding: 'var(--mantine-spacing-md) var(--mantine-spacing-md) 0' }}>
              <Title order={4}>Agents</Title>
              <Text size="sm" c="dimmed">
                Billed or using tokens in {org.name} in {monthName(month)}. Click one for its month.
              </Text>
            </div>
            <AgentsTable org={row} threshold={margins.data.low_margin_threshold} onAgent={setAgent} />
          </Paper>
        </>
      ) : (
        <Text c="dimmed">No figures for {org.name} this month.</Text>
      )}
      <AgentDrawer
        month={month}
        agent={agent}
        threshold={margins.data?.low_margin_threshold ?? 0}
        onClose={() => setAgent(null)}
      />
    </Stack>
  );
}

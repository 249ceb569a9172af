import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconChartBar, IconFileImport, IconFileInvoice, IconTags } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows } from '../../../../shared/domain/permissions';
import { type BillingTab, navigate, paths } from '../../app/routes';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { ClientBillingPanel } from './ClientBillingPanel';
import { MarginsPanel } from './MarginsPanel';
import { PricesPanel } from './PricesPanel';
import { StatementsPanel } from './StatementsPanel';
import { UsageImportPanel } from './UsageImportPanel';

/**
 * The MSP's staff: margins and statements, prices and usage imports for those who manage money.
 * An org's own users (statements.read without billing.read): its statements and usage, charges only.
 */
export function BillingPage({ user, tab }: { user: SessionUser; tab: BillingTab }) {
  const org = useSwitcherOrg(user);
  const canManage = allows(user, 'billing.manage');
  const current = canManage ? tab : 'margins';

  if (!allows(user, 'billing.read'))
    return (
      <Stack gap="lg" maw={1200}>
        <div>
          <Title order={2}>Billing</Title>
          <Text c="dimmed" size="sm">
            {org.name ? `Statements and usage of ${org.name}.` : 'Statements and usage.'}
          </Text>
        </div>
        <ClientBillingPanel org={org} />
      </Stack>
    );

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Billing</Title>
        <Text c="dimmed" size="sm">
          {org.name
            ? `Revenue, cost and margin of ${org.name}, per agent and month.`
            : 'Revenue, cost and margin per organization, agent and month.'}
        </Text>
      </div>
      {canManage ? (
        <Tabs
          keepMounted={false}
          value={current}
          onChange={(next) => next && navigate(paths.billing(next as BillingTab))}
        >
          <Tabs.List>
            <Tabs.Tab value="margins" leftSection={<IconChartBar size={16} />}>
              Margins
            </Tabs.Tab>
            <Tabs.Tab value="statements" leftSection={<IconFileInvoice size={16} />}>
              Statements
            </Tabs.Tab>
            <Tabs.Tab value="prices" leftSection={<IconTags size={16} />}>
              Model prices
            </Tabs.Tab>
            <Tabs.Tab value="usage" leftSection={<IconFileImport size={16} />}>
              Usage import
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="margins" pt="lg">
            <MarginsPanel user={user} org={org} />
          </Tabs.Panel>
          <Tabs.Panel value="statements" pt="lg">
            <StatementsPanel user={user} org={org} />
          </Tabs.Panel>
          <Tabs.Panel value="prices" pt="lg">
            <PricesPanel />
          </Tabs.Panel>
          <Tabs.Panel value="usage" pt="lg">
            <UsageImportPanel />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <MarginsPanel user={user} org={org} />
      )}
    </Stack>
  );
}

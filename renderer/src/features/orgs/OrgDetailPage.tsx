import { Anchor, Badge, Group, Skeleton, Stack, Tabs } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconBuildingCommunity } from '@tabler/icons-react';
import { Suspense } from 'react';
import { AppError } from '../../../../shared/contract/envelope';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows, allowsIn, seesAllOrgs } from '../../../../shared/domain/permissions';
import { navigate, type OrgTab, paths } from '../../app/routes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { mutateThen } from '../../ui/mutate-then';
import { DeletedOrgBanner } from './DeletedOrgBanner';
import { OrgEditForm } from './OrgEditForm';
import { OrgFacts } from './OrgFacts';
import { OrgHeader } from './OrgHeader';
import { OrgLifecycleActions } from './OrgLifecycleActions';
import { ORG_TAB_PAGES } from './org-tabs';
import { useOrg, useRestoreOrg } from './queries';

const PAGE_TABS: { tab: 'agents' | 'billing' | 'knowledge' | 'guardrails'; label: string }[] = [
  { tab: 'agents', label: 'Agents' },
  { tab: 'billing', label: 'Billing' },
  { tab: 'knowledge', label: 'Knowledge' },
  { tab: 'guardrails', label: 'Guardrails' },
];

/** The tabs this session may open: the page-gated ones by the user's pages; members for console roles and the org's managers. */
function tabsFor(user: SessionUser, orgId: string) {
  return {
    pageTabs: PAGE_TABS.filter(({ tab }) => user.pages.includes(tab)),
    members: seesAllOrgs(user.role) || allowsIn(user, 'members.manage', orgId),
  };
}

function BackToOrgs() {
  return (
    <Anchor href={`#${paths.orgs()}`} size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        Organizations
      </Group>
    </Anchor>
  );
}

export function OrgDetailPage({ user, orgId, tab }: { user: SessionUser; orgId: string; tab: OrgTab }) {
  const org = useOrg(orgId);

  if (org.isPending) {
    return (
      <Stack maw={1100} aria-busy="true" aria-label="Loading the organization">
        <Skeleton h={36} w={320} />
        <Skeleton h={240} />
      </Stack>
    );
  }
  if (org.isError) {
    const missing = org.error instanceof AppError && ['NOT_FOUND', 'VALIDATION'].includes(org.error.code);
    return (
      <Stack maw={1100}>
        <BackToOrgs />
        {missing ? (
          <EmptyState icon={<IconBuildingCommunity size={24} />} title="No such organization">
            <EmptyHint>It does not exist, or it is not one you may see.</EmptyHint>
          </EmptyState>
        ) : (
          <ErrorState
            title="Could not load the organization"
            error={org.error}
            onRetry={() => void org.refetch()}
          />
        )}
      </Stack>
    );
  }
  return <OrgDetail org={org.data} user={user} tab={tab} />;
}

function OrgDetail({ org, user, tab }: { org: Org; user: SessionUser; tab: OrgTab }) {
  const restore = useRestoreOrg();
  const { pageTabs, members } = tabsFor(user, org.id);
  const open = tab === 'members' ? members : pageTabs.some((item) => item.tab === tab);
  const current = open ? tab : 'overview';
  const editable = allows(user, 'orgs.manage') && org.status !== 'deleted';
  const onRestore = () =>
    void mutateThen(restore, org.id, {
      onSuccess: (back) =>
        notifications.show({ color: 'teal', title: 'Restored', message: `${back.name} is back.` }),
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not restore', message: error.message }),
    });

  return (
    <Stack gap="lg" maw={1100}>
      <BackToOrgs />
      <OrgHeader org={org} actions={<OrgLifecycleActions org={org} user={user} />} />
      {org.status === 'deleted' && (
        <DeletedOrgBanner
          org={org}
          restoring={restore.isPending}
          onRestore={allows(user, 'orgs.delete') ? onRestore : undefined}
        />
      )}
      <Tabs
        keepMounted={false}
        value={current}
        onChange={(next) => next && navigate(paths.org(org.slug, next as OrgTab))}
      >
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          {pageTabs.map((item) => (
            <Tabs.Tab
              key={item.tab}
              value={item.tab}
              rightSection={
                item.tab === 'agents' && org.agentCount > 0 ? (
                  <Badge size="xs" variant="light" circle>
                    {org.agentCount}
                  </Badge>
                ) : undefined
              }
            >
              {item.label}
            </Tabs.Tab>
          ))}
          {members && <Tabs.Tab value="members">Members</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="lg">
          {editable ? <OrgEditForm key={org.id} org={org} /> : <OrgFacts org={org} />}
        </Tabs.Panel>
        {pageTabs.map((item) => (
          <Tabs.Panel key={item.tab} value={item.tab} pt="lg">
            <TabPage tab={item.tab} org={org} user={user} />
          </Tabs.Panel>
        ))}
        {members && (
          <Tabs.Panel value="members" pt="lg">
            <TabPage tab="members" org={org} user={user} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}

function TabPage({ tab, org, user }: { tab: keyof typeof ORG_TAB_PAGES; org: Org; user: SessionUser }) {
  const Page = ORG_TAB_PAGES[tab].Component;
  return (
    <Suspense
      fallback={
        <Stack aria-busy="true" aria-label="Loading the tab">
          <Skeleton h={96} />
          <Skeleton h={160} />
        </Stack>
      }
    >
      <Page org={org} user={user} />
    </Suspense>
  );
}

import { Alert, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconBook, IconBuildingOff, IconChartGridDots, IconInfoCircle } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { seesAllOrgs } from '../../../../shared/domain/permissions';
import { type KnowledgeTab, navigate, paths } from '../../app/routes';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { AllOrgsKnowledge } from './AllOrgsKnowledge';
import { KnowledgeOverview } from './KnowledgeOverview';
import { OrgKnowledge } from './OrgKnowledge';

/** The switcher's org's knowledge; for owners and admins also the overview of every org's. */
export function KnowledgePage({ user, tab }: { user: SessionUser; tab: KnowledgeTab }) {
  const selection = useSwitcherOrg(user);
  const orgs = selection.orgsQuery;
  const org = selection.org ?? undefined;

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Knowledge</Title>
        <Text c="dimmed" size="sm">
          {!org
            ? 'Documents per organization, and what the owner organization shares with client organizations.'
            : org.isOwner
              ? `What ${org.name}’s agents can read, and what it shares with client organizations.`
              : `What ${org.name}’s agents can read: its own documents, and what the owner organization shares with it.`}
        </Text>
      </div>
      {orgs.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label="Loading the organization">
          <Skeleton h={36} w={380} />
          <Skeleton h={240} />
        </Stack>
      ) : orgs.isError ? (
        <ErrorState
          title="Could not load organizations"
          error={orgs.error}
          onRetry={() => void orgs.refetch()}
        />
      ) : (
        <KnowledgeBody user={user} org={org} orgs={orgs.data} tab={tab} />
      )}
    </Stack>
  );
}

function KnowledgeBody({
  user,
  org,
  orgs,
  tab,
}: {
  user: SessionUser;
  org: Org | undefined;
  orgs: Org[];
  tab: KnowledgeTab;
}) {
  if (!seesAllOrgs(user.role)) {
    return org ? (
      <OrgKnowledge org={org} user={user} />
    ) : (
      <EmptyState icon={<IconBuildingOff size={24} />} title="No organization">
        <EmptyHint>Your account is not bound to an organization, so there is no knowledge to show.</EmptyHint>
      </EmptyState>
    );
  }
  // With "All organizations" in the switcher there is no one knowledge base to show: the overview it is.
  if (!org) {
    return (
      <Stack gap="lg">
        <Alert variant="light" icon={<IconInfoCircle />}>
          Search here finds every organization’s documents. Choose an organization in the switcher to list and
          add its documents.
        </Alert>
        <AllOrgsKnowledge user={user} orgs={orgs} />
      </Stack>
    );
  }
  return (
    <Tabs
      keepMounted={false}
      value={tab}
      onChange={(next) => next && navigate(paths.knowledge(next as KnowledgeTab))}
    >
      <Tabs.List>
        <Tabs.Tab value="documents" leftSection={<IconBook size={16} />}>
          {org.name}
        </Tabs.Tab>
        <Tabs.Tab value="overview" leftSection={<IconChartGridDots size={16} />}>
          All organizations
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="documents" pt="lg">
        <OrgKnowledge key={org.id} org={org} user={user} />
      </Tabs.Panel>
      <Tabs.Panel value="overview" pt="lg">
        <KnowledgeOverview user={user} />
      </Tabs.Panel>
    </Tabs>
  );
}

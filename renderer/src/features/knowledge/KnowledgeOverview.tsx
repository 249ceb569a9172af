import { Paper, Skeleton, Stack, Title } from '@mantine/core';
import { IconShare } from '@tabler/icons-react';
import { useState } from 'react';
import type { SessionUser } from '../../../../shared/contract/session';
import { navigate, paths } from '../../app/routes';
import { useUiStore } from '../../app/ui-store';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { useOrgs } from '../orgs/queries';
import { DocsPerOrgTable } from './DocsPerOrgTable';
import { DocumentDrawer } from './DocumentDrawer';
import { useKnowledgeOverview } from './queries';
import { SharedDocsTable } from './SharedDocsTable';

/** Owners and admins: documents per org, and the owner org's shared documents with the orgs they reach. */
export function KnowledgeOverview({ user }: { user: SessionUser }) {
  const overview = useKnowledgeOverview();
  const orgs = useOrgs('');
  const selectOrg = useUiStore((state) => state.selectOrg);
  const [openId, setOpenId] = useState<string | null>(null);
  const ownerOrg = orgs.data?.find((org) => org.isOwner);

  if (overview.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading the overview">
        {[0, 1, 2, 3].map((row) => (
          <Skeleton key={row} h={28} />
        ))}
      </Stack>
    );
  }
  if (overview.isError) {
    return (
      <ErrorState
        title="Could not load the overview"
        error={overview.error}
        onRetry={() => void overview.refetch()}
      />
    );
  }
  const { shared } = overview.data;
  // Opening an org's knowledge is choosing it in the switcher, as every page follows the switcher.
  const openOrg = (orgId: string) => {
    selectOrg(user.id, orgId);
    navigate(paths.knowledge());
  };

  return (
    <Stack gap="lg">
      <Paper withBorder p={0} role="region" aria-label="Documents per organization">
        <Title order={4} p="md" pb={0}>
          Documents per organization
        </Title>
        <DocsPerOrgTable
          orgs={overview.data.orgs}
          shared={shared}
          ownerOrgId={ownerOrg?.id}
          onOpenOrg={openOrg}
        />
      </Paper>
      <Paper withBorder p={0} role="region" aria-label="Shared documents">
        <Title order={4} p="md" pb={shared.length > 0 ? 0 : 'md'}>
          Shared documents
        </Title>
        {shared.length === 0 ? (
          <EmptyState icon={<IconShare size={24} />} title="Nothing is shared">
            <EmptyHint>
              Open a document of {ownerOrg?.name ?? 'the owner organization'} and choose “Share…” to let
              client organizations and their agents read it.
            </EmptyHint>
          </EmptyState>
        ) : (
          <SharedDocsTable docs={shared} onOpen={(doc) => setOpenId(doc.id)} />
        )}
      </Paper>
      {ownerOrg && (
        <DocumentDrawer docId={openId} contextOrg={ownerOrg} user={user} onClose={() => setOpenId(null)} />
      )}
    </Stack>
  );
}

import { Drawer, Skeleton, Stack, Title } from '@mantine/core';
import { IconFileOff } from '@tabler/icons-react';
import { AppError } from '../../../../shared/contract/envelope';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { DocumentDetail } from './DocumentDetail';
import { useKnowledgeDoc } from './queries';

/** One document, opened from `contextOrg`'s knowledge: what another org shares is read-only there. */
export function DocumentDrawer({
  docId,
  contextOrg,
  user,
  onClose,
}: {
  docId: string | null;
  contextOrg: Org;
  user: SessionUser;
  onClose: () => void;
}) {
  const doc = useKnowledgeDoc(docId);

  return (
    <Drawer
      opened={docId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={<Title order={3}>{doc.data?.title ?? 'Document'}</Title>}
    >
      {doc.isPending ? (
        <Stack aria-busy="true" aria-label="Loading the document">
          <Skeleton h={24} w={240} />
          <Skeleton h={120} />
          <Skeleton h={320} />
        </Stack>
      ) : doc.isError ? (
        doc.error instanceof AppError && doc.error.code === 'NOT_FOUND' ? (
          <EmptyState icon={<IconFileOff size={24} />} title="No longer here">
            <EmptyHint>This document was deleted or moved, or it is no longer shared with you.</EmptyHint>
          </EmptyState>
        ) : (
          <ErrorState
            title="Could not load the document"
            error={doc.error}
            onRetry={() => void doc.refetch()}
          />
        )
      ) : (
        <DocumentDetail
          key={doc.data.id}
          doc={doc.data}
          contextOrg={contextOrg}
          user={user}
          onGone={onClose}
        />
      )}
    </Drawer>
  );
}

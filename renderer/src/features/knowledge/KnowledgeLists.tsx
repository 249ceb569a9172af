import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconBook, IconShare } from '@tabler/icons-react';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import type { Org } from '../../../../shared/contract/orgs';
import { plural } from '../../../../shared/domain/counts';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { DocumentsTable } from './DocumentsTable';
import { useKnowledgeList } from './queries';

const documents = (count: number) => plural(count, 'document');

/** An org's own documents, then (for a client org) the owner org's documents shared with it, read-only. */
export function KnowledgeLists({ org, onOpen }: { org: Org; onOpen: (doc: KnowledgeDoc) => void }) {
  const list = useKnowledgeList(org.id);

  if (list.isPending) {
    return (
      <Paper withBorder p="md">
        <Stack gap="sm" aria-busy="true" aria-label="Loading documents">
          {[0, 1, 2, 3].map((row) => (
            <Skeleton key={row} h={28} />
          ))}
        </Stack>
      </Paper>
    );
  }
  if (list.isError) {
    return (
      <ErrorState title="Could not load documents" error={list.error} onRetry={() => void list.refetch()} />
    );
  }
  const { own, shared } = list.data;
  return (
    <Stack gap="lg">
      <Paper withBorder p={0} role="region" aria-label={`Documents of ${org.name}`}>
        <Group justify="space-between" p="md" pb={own.length > 0 ? 0 : 'md'}>
          <Title order={4}>Documents of {org.name}</Title>
          <Text size="sm" c="dimmed">
            {documents(own.length)}
          </Text>
        </Group>
        {own.length === 0 ? (
          <EmptyState icon={<IconBook size={24} />} title="No documents yet">
            <EmptyHint>
              Write one with “Add document”, or bring .md, .txt, .html and .pdf files in with “Import files”.
            </EmptyHint>
          </EmptyState>
        ) : (
          <DocumentsTable docs={own} label={`Documents of ${org.name}`} onOpen={onOpen} />
        )}
      </Paper>
      {!org.isOwner && (
        <Paper withBorder p={0} role="region" aria-label={`Shared with ${org.name}`}>
          <Group justify="space-between" p="md" pb={shared.length > 0 ? 0 : 'md'}>
            <Group gap="xs">
              <Title order={4}>Shared with {org.name}</Title>
              <Badge variant="light" color="gray" size="sm">
                Read-only
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {documents(shared.length)}
            </Text>
          </Group>
          {shared.length === 0 ? (
            <Group gap="xs" px="md" pb="md" c="dimmed">
              <IconShare size={16} aria-hidden />
              <Text size="sm">The owner organization shares nothing with {org.name}.</Text>
            </Group>
          ) : (
            <DocumentsTable
              docs={shared}
              label={`Shared with ${org.name}`}
              from
              onOpen={onOpen}
              sortParam="sharedSort"
            />
          )}
        </Paper>
      )}
    </Stack>
  );
}

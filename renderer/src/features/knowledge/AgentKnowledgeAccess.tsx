import { Badge, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconBook, IconBookOff } from '@tabler/icons-react';
import type { Agent } from '../../../../shared/contract/agents';
import { plural } from '../../../../shared/domain/counts';
import { kb } from '../../ui/bytes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { useAgentKnowledge } from './queries';

const documents = (count: number) => plural(count, 'document');

type Doc = NonNullable<ReturnType<typeof useAgentKnowledge>['data']>['docs'][number];
const COLUMNS = ['title', 'from', 'size', 'updated'] as const;
const VALUES = {
  title: (doc: Doc) => doc.title,
  from: (doc: Doc) => doc.org.name,
  size: (doc: Doc) => doc.size,
  updated: (doc: Doc) => doc.updatedAt,
};

/** Exactly what an agent can read: its org's documents and what the owner org shares with that org. */
export function AgentKnowledgeAccess({ agent }: { agent: Agent }) {
  const visible = useAgentKnowledge(agent.id);
  const { sort, onSort } = useTableSort(
    'readable',
    COLUMNS,
    { column: 'title', direction: 'asc' },
    (column) => (column === 'size' || column === 'updated' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };

  if (visible.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading what the agent can see">
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} h={28} />
        ))}
      </Stack>
    );
  }
  if (visible.isError) {
    return (
      <ErrorState
        title="Could not load the agent’s knowledge"
        error={visible.error}
        onRetry={() => void visible.refetch()}
      />
    );
  }
  const { org, docs } = visible.data;
  if (!org) {
    return (
      <EmptyState icon={<IconBookOff size={24} />} title="Sees no knowledge">
        <EmptyHint>
          {agent.name} is not assigned to an organization, so it can read no documents. Assigned, it reads its
          organization’s documents and what the owner organization shares with it.
        </EmptyHint>
      </EmptyState>
    );
  }
  if (docs.length === 0) {
    return (
      <EmptyState icon={<IconBook size={24} />} title="Nothing to read yet">
        <EmptyHint>{org.name} has no documents, and the owner organization shares none with it.</EmptyHint>
      </EmptyState>
    );
  }
  const shared = docs.filter((doc) => doc.shared).length;
  return (
    <Stack gap="sm">
      <Text size="sm" aria-live="polite">
        {agent.name} can read {documents(docs.length)}: {documents(docs.length - shared)} of {org.name}
        {shared > 0 ? ` and ${documents(shared)} shared with it` : ''}.
      </Text>
      <Paper withBorder p={0}>
        <Table.ScrollContainer minWidth={560} scrollAreaProps={{ offsetScrollbars: false }}>
          <Table verticalSpacing="xs" aria-label={`Knowledge ${agent.name} can read`} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="title" label="Title" {...th} />
                <SortableTh column="from" label="From" {...th} />
                <SortableTh column="size" label="Size" numeric {...th} />
                <SortableTh column="updated" label="Updated" {...th} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sortRows(docs, sort, VALUES).map((doc) => (
                <Table.Tr key={doc.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {doc.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {doc.shared ? (
                      <Badge size="sm" variant="light" color="grape" tt="none">
                        Shared from {doc.org.name}
                      </Badge>
                    ) : (
                      doc.org.name
                    )}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {kb(doc.size)}
                  </Table.Td>
                  <Table.Td>
                    <LocalTime iso={doc.updatedAt} dateOnly />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}

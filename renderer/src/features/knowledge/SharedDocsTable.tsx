import { Badge, Group, Table } from '@mantine/core';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { DocTitle } from './DocTitle';
import { sharingLabel } from './sharing';

/** The owner org's shared documents, each with the orgs it reaches. */
export function SharedDocsTable({
  docs,
  onOpen,
}: {
  docs: KnowledgeDoc[];
  onOpen: (doc: KnowledgeDoc) => void;
}) {
  const { sort, onSort } = useTableSort(
    'sharedSort',
    ['title', 'reaches', 'updated'] as const,
    { column: 'title', direction: 'asc' },
    (column) => (column === 'updated' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };
  const rows = sortRows(docs, sort, {
    title: (doc) => doc.title,
    reaches: (doc) => (doc.sharing ? sharingLabel(doc.sharing) : null),
    updated: (doc) => doc.updatedAt,
  });
  return (
    <DataTable minWidth={620} verticalSpacing="sm" highlightOnHover aria-label="Shared documents" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="title" label="Title" {...th} />
          <SortableTh column="reaches" label="Reaches" {...th} />
          <SortableTh column="updated" label="Updated" {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((doc) => (
          <Table.Tr key={doc.id}>
            <Table.Td maw={320}>
              <DocTitle title={doc.title} tags={doc.tags} onOpen={() => onOpen(doc)} />
            </Table.Td>
            <Table.Td>
              {doc.sharing?.all ? (
                <Badge variant="light" tt="none">
                  All client organizations
                </Badge>
              ) : (
                <Group gap={4}>
                  {doc.sharing?.orgs.map((org) => (
                    <Badge key={org.id} variant="light" color="gray" tt="none">
                      {org.name}
                    </Badge>
                  ))}
                </Group>
              )}
            </Table.Td>
            <Table.Td>
              <LocalTime iso={doc.updatedAt} dateOnly />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

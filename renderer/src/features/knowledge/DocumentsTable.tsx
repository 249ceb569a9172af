import { Table, Text } from '@mantine/core';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { kb } from '../../ui/bytes';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { DocTitle } from './DocTitle';
import { sharingLabel } from './sharing';

const dash = (
  <Text span size="sm" c="dimmed">
    —
  </Text>
);

const COLUMNS = ['title', 'from', 'source', 'sharing', 'size', 'author', 'updated'] as const;
const VALUES = {
  title: (doc: KnowledgeDoc) => doc.title,
  from: (doc: KnowledgeDoc) => doc.org.name,
  source: (doc: KnowledgeDoc) => doc.sourceName ?? '',
  sharing: (doc: KnowledgeDoc) => (doc.sharing ? sharingLabel(doc.sharing) : null),
  size: (doc: KnowledgeDoc) => doc.size,
  author: (doc: KnowledgeDoc) => doc.author || null,
  updated: (doc: KnowledgeDoc) => doc.updatedAt,
};
const firstDirection = (column: (typeof COLUMNS)[number]) =>
  ['size', 'updated'].includes(column) ? 'desc' : 'asc';

/**
 * A list of documents, sortable by each column; `sortParam` names its sort in the address (two
 * lists on one page keep two sorts). `from` adds the org each comes from (shared documents); owner-org documents
 * carry who they are shared with.
 */
export function DocumentsTable({
  docs,
  label,
  from = false,
  onOpen,
  sortParam = 'sort',
}: {
  docs: KnowledgeDoc[];
  label: string;
  from?: boolean;
  onOpen: (doc: KnowledgeDoc) => void;
  sortParam?: string;
}) {
  const sharing = !from && docs.some((doc) => doc.sharing !== null);
  const { sort, onSort } = useTableSort(
    sortParam,
    COLUMNS,
    { column: 'title', direction: 'asc' },
    firstDirection,
  );
  const th = { sort, onSort };
  return (
    <DataTable minWidth={760} verticalSpacing="sm" highlightOnHover aria-label={label} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="title" label="Title" {...th} />
          {from && <SortableTh column="from" label="Shared from" {...th} />}
          <SortableTh column="source" label="Source file" {...th} />
          {sharing && <SortableTh column="sharing" label="Shared with" {...th} />}
          <SortableTh column="size" label="Size" numeric {...th} />
          <SortableTh column="author" label="Author" {...th} />
          <SortableTh column="updated" label="Updated" {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(docs, sort, VALUES).map((doc) => (
          <Table.Tr key={doc.id}>
            <Table.Td maw={340}>
              <DocTitle title={doc.title} tags={doc.tags} onOpen={() => onOpen(doc)} />
            </Table.Td>
            {from && <Table.Td>{doc.org.name}</Table.Td>}
            <Table.Td>
              {doc.sourceName ? (
                <Text size="sm" ff="monospace">
                  {doc.sourceName}
                </Text>
              ) : (
                <Text span size="sm" c="dimmed">
                  Written here
                </Text>
              )}
            </Table.Td>
            {sharing && (
              <Table.Td>{doc.sharing ? sharingLabel(doc.sharing, { short: true }) : dash}</Table.Td>
            )}
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {kb(doc.size)}
            </Table.Td>
            <Table.Td>{doc.author || dash}</Table.Td>
            <Table.Td>
              <LocalTime iso={doc.updatedAt} dateOnly />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

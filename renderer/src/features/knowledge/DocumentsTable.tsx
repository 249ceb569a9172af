import { Table, Text } from '@mantine/core';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { kb } from '../../ui/bytes';
import { LocalTime } from '../../ui/time';
import { DocTitle } from './DocTitle';
import { sharingLabel } from './sharing';

const dash = (
  <Text span size="sm" c="dimmed">
    —
  </Text>
);

/**
 * A list of documents. `from` adds the org each comes from (shared documents); owner-org documents
 * carry who they are shared with.
 */
export function DocumentsTable({
  docs,
  label,
  from = false,
  onOpen,
}: {
  docs: KnowledgeDoc[];
  label: string;
  from?: boolean;
  onOpen: (doc: KnowledgeDoc) => void;
}) {
  const sharing = !from && docs.some((doc) => doc.sharing !== null);
  return (
    <Table.ScrollContainer minWidth={760} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table verticalSpacing="sm" highlightOnHover aria-label={label} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            {from && <Table.Th>Shared from</Table.Th>}
            <Table.Th>Source file</Table.Th>
            {sharing && <Table.Th>Shared with</Table.Th>}
            <Table.Th ta="right">Size</Table.Th>
            <Table.Th>Author</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {docs.map((doc) => (
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
      </Table>
    </Table.ScrollContainer>
  );
}

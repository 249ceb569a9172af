import { Badge, Group, Table } from '@mantine/core';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { LocalTime } from '../../ui/time';
import { DocTitle } from './DocTitle';

/** The owner org's shared documents, each with the orgs it reaches. */
export function SharedDocsTable({
  docs,
  onOpen,
}: {
  docs: KnowledgeDoc[];
  onOpen: (doc: KnowledgeDoc) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={620} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Shared documents" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            <Table.Th>Reaches</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {docs.map((doc) => (
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
      </Table>
    </Table.ScrollContainer>
  );
}

import { Badge, Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/contract';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';

type OrgCount = ChannelOutput<'knowledge.overview'>['orgs'][number];

const reaches = (doc: KnowledgeDoc, orgId: string) =>
  !!doc.sharing && (doc.sharing.all || doc.sharing.orgs.some((org) => org.id === orgId));

/** Each org's own documents, and how many of the shared ones reach it; the owner org shares, so it has none. */
export function DocsPerOrgTable({
  orgs,
  shared,
  ownerOrgId,
  onOpenOrg,
}: {
  orgs: OrgCount[];
  shared: KnowledgeDoc[];
  ownerOrgId: string | undefined;
  onOpenOrg: (orgId: string) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={520} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Documents per organization" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Organization</Table.Th>
            <Table.Th ta="right">Own documents</Table.Th>
            <Table.Th ta="right">Shared with it</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orgs.map((org) => {
            const isOwner = org.id === ownerOrgId;
            return (
              <Table.Tr key={org.id}>
                <Table.Td>
                  <Group gap="xs">
                    <UnstyledButton onClick={() => onOpenOrg(org.id)} title="Open its knowledge">
                      <Text size="sm" fw={500}>
                        {org.name}
                      </Text>
                    </UnstyledButton>
                    {isOwner && (
                      <Badge size="xs" variant="light">
                        Owner
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{org.documents}</Table.Td>
                <Table.Td ta="right" c={isOwner ? 'dimmed' : undefined}>
                  {isOwner ? '—' : shared.filter((doc) => reaches(doc, org.id)).length}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

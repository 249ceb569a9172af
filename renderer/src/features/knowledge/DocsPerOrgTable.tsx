import { Badge, Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/contract';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';

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
  const sharedWith = (org: OrgCount) =>
    org.id === ownerOrgId ? null : shared.filter((doc) => reaches(doc, org.id)).length;
  const { sort, onSort } = useTableSort(
    'orgsSort',
    ['org', 'own', 'shared'] as const,
    { column: 'org', direction: 'asc' },
    (column) => (column === 'org' ? 'asc' : 'desc'),
  );
  const th = { sort, onSort };
  const rows = sortRows(orgs, sort, {
    org: (org) => org.name,
    own: (org) => org.documents,
    shared: sharedWith,
  });
  return (
    <DataTable
      minWidth={520}
      verticalSpacing="sm"
      highlightOnHover
      aria-label="Documents per organization"
      fz="sm"
    >
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="org" label="Organization" {...th} />
          <SortableTh column="own" label="Own documents" numeric {...th} />
          <SortableTh column="shared" label="Shared with it" numeric {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((org) => {
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
                {sharedWith(org) ?? '—'}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </DataTable>
  );
}

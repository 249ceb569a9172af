import { ActionIcon, Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { plural } from '../../../../shared/domain/counts';
import { paths } from '../../app/routes';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { usd } from '../../ui/money';
import { DataTable, exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { OrgBudgetBadge } from '../billing/OrgBudgetBadge';
import { OrgStatusBadge } from './OrgStatusBadge';

const COLUMNS = ['name', 'slug', 'status', 'agents', 'rate', 'timezone', 'created'] as const;
const VALUES = {
  name: (org: Org) => org.name,
  slug: (org: Org) => org.slug,
  status: (org: Org) => org.status,
  agents: (org: Org) => org.agentCount,
  rate: (org: Org) => exactAmount(org.rate),
  timezone: (org: Org) => org.timezone,
  created: (org: Org) => org.createdAt,
};
const firstDirection = (column: (typeof COLUMNS)[number]) =>
  ['agents', 'rate', 'created'].includes(column) ? 'desc' : 'asc';

export function OrgsTable({
  orgs,
  onOpen,
  onRename,
}: {
  orgs: Org[];
  onOpen: (org: Org) => void;
  onRename?: (org: Org) => void;
}) {
  // The owner's own org stays first, as the server lists it; the clients sort below it.
  const { sort, onSort } = useTableSort(
    'sort',
    COLUMNS,
    { column: 'name', direction: 'asc' },
    firstDirection,
  );
  const th = { sort, onSort };
  const rows = [
    ...orgs.filter((org) => org.isOwner),
    ...sortRows(
      orgs.filter((org) => !org.isOwner),
      sort,
      VALUES,
    ),
  ];
  return (
    <DataTable minWidth={760} verticalSpacing="sm" highlightOnHover aria-label="Organizations">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="name" label="Name" {...th} />
          <SortableTh column="slug" label="Slug" {...th} />
          <SortableTh column="status" label="Status" {...th} />
          <SortableTh column="agents" label="Agents" numeric {...th} />
          <SortableTh column="rate" label="Rate / agent / month" numeric {...th} />
          <SortableTh column="timezone" label="Time zone" {...th} />
          <SortableTh column="created" label="Created" {...th} />
          {onRename && <Table.Th w={60} aria-label="Actions" />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((org) => (
          <Table.Tr
            key={org.id}
            style={{ cursor: 'pointer' }}
            onClick={(event) => {
              // The name link and the rename button do their own thing.
              if (!(event.target as HTMLElement).closest('a, button')) onOpen(org);
            }}
          >
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Anchor href={`#${paths.org(org.slug)}`} fw={500} c="var(--mantine-color-text)">
                  {org.name}
                </Anchor>
                {org.isOwner && (
                  <Badge size="xs" variant="light">
                    Owner
                  </Badge>
                )}
                <OrgBudgetBadge org={org} />
              </Group>
            </Table.Td>
            <Table.Td>
              <Text ff="monospace" size="sm" c="dimmed">
                {org.slug}
              </Text>
            </Table.Td>
            <Table.Td>
              <OrgStatusBadge status={org.status} />
            </Table.Td>
            <Table.Td ta="right" aria-label={plural(org.agentCount, 'agent')}>
              {org.agentCount}
            </Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
              {usd(org.rate)}
            </Table.Td>
            <Table.Td>{org.timezone}</Table.Td>
            <Table.Td>
              <LocalTime iso={org.createdAt} dateOnly />
            </Table.Td>
            {onRename && (
              <Table.Td>
                {org.status !== 'deleted' && (
                  <HoverTooltip label="Rename">
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Rename ${org.name}`}
                      onClick={() => onRename(org)}
                    >
                      <IconPencil size={16} />
                    </ActionIcon>
                  </HoverTooltip>
                )}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

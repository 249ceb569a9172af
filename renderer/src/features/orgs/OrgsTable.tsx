import { ActionIcon, Anchor, Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { paths } from '../../app/routes';
import { OrgBudgetBadge } from '../billing/OrgBudgetBadge';
import { OrgStatusBadge } from './OrgStatusBadge';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function OrgsTable({
  orgs,
  onOpen,
  onRename,
}: {
  orgs: Org[];
  onOpen: (org: Org) => void;
  onRename?: (org: Org) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Organizations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Slug</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Agents</Table.Th>
            <Table.Th ta="right">Rate / agent / month</Table.Th>
            <Table.Th>Time zone</Table.Th>
            <Table.Th>Created</Table.Th>
            {onRename && <Table.Th w={60} aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orgs.map((org) => (
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
              <Table.Td ta="right" aria-label={`${org.agentCount} agents`}>
                {org.agentCount}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                ${org.rate}
              </Table.Td>
              <Table.Td>{org.timezone}</Table.Td>
              <Table.Td>{dateFormat.format(new Date(org.createdAt))}</Table.Td>
              {onRename && (
                <Table.Td>
                  {org.status !== 'deleted' && (
                    <Tooltip label="Rename">
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Rename ${org.name}`}
                        onClick={() => onRename(org)}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

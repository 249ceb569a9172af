import { ActionIcon, Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function OrgsTable({ orgs, onRename }: { orgs: Org[]; onRename?: (org: Org) => void }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Organizations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Slug</Table.Th>
            <Table.Th ta="right">Rate / agent / month</Table.Th>
            <Table.Th>Time zone</Table.Th>
            <Table.Th>Created</Table.Th>
            {onRename && <Table.Th w={60} aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orgs.map((org) => (
            <Table.Tr key={org.id}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Text fw={500}>{org.name}</Text>
                  {org.isOwner && (
                    <Badge size="xs" variant="light">
                      Owner
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text ff="monospace" size="sm" c="dimmed">
                  {org.slug}
                </Text>
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                ${org.rate}
              </Table.Td>
              <Table.Td>{org.timezone}</Table.Td>
              <Table.Td>{dateFormat.format(new Date(org.createdAt))}</Table.Td>
              {onRename && (
                <Table.Td>
                  <Tooltip label="Rename">
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Rename ${org.name}`}
                      onClick={() => onRename(org)}
                    >
                      <IconPencil size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

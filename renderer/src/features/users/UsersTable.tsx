import { Badge, Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { User } from '../../../../shared/contract/users';
import { seesAllOrgs } from '../../../../shared/domain/permissions';
import { MEMBERSHIP_ROLE_LABELS, PAGE_LABELS } from './labels';
import { RoleBadge } from './RoleBadge';

function Ignored({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** Owners and admins show "All organizations" and "All pages": a stored binding or page list does not apply to them. */
export function UsersTable({
  users,
  currentUserId,
  label,
  withOrg = true,
  actionsFor,
}: {
  users: User[];
  currentUserId: string;
  label: string;
  withOrg?: boolean;
  actionsFor?: (user: User) => ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table verticalSpacing="sm" highlightOnHover aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            {withOrg && <Table.Th>Organization</Table.Th>}
            <Table.Th>Pages</Table.Th>
            <Table.Th>Status</Table.Th>
            {actionsFor && <Table.Th w={60} aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const everything = seesAllOrgs(user.role);
            return (
              <Table.Tr key={user.id}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text fw={500} style={{ whiteSpace: 'nowrap' }}>
                      {user.name}
                    </Text>
                    {user.id === currentUserId && (
                      <Badge size="xs" variant="outline">
                        You
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{user.email}</Text>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={user.role} />
                </Table.Td>
                {withOrg && (
                  <Table.Td>
                    {everything ? (
                      <Ignored>All organizations</Ignored>
                    ) : user.memberships.length > 0 || user.allClientOrgsRole ? (
                      [
                        ...(user.allClientOrgsRole
                          ? [`Every client org (${MEMBERSHIP_ROLE_LABELS[user.allClientOrgsRole]})`]
                          : []),
                        ...user.memberships.map(
                          (held) => `${held.orgName} (${MEMBERSHIP_ROLE_LABELS[held.role]})`,
                        ),
                      ].join(', ')
                    ) : (
                      <Ignored>None</Ignored>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  {everything ? (
                    <Ignored>All pages</Ignored>
                  ) : user.pages.length === 0 ? (
                    <Ignored>Organizations only</Ignored>
                  ) : (
                    <Text size="sm">{user.pages.map((page) => PAGE_LABELS[page]).join(', ')}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={user.disabled ? 'red' : 'teal'}>
                    {user.disabled ? 'Disabled' : 'Active'}
                  </Badge>
                </Table.Td>
                {actionsFor && <Table.Td>{actionsFor(user)}</Table.Td>}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

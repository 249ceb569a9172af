import { Badge, Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { User } from '../../../../shared/contract/users';
import { seesAllOrgs } from '../../../../shared/domain/permissions';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { MEMBERSHIP_ROLE_LABELS, PAGE_LABELS } from './labels';
import { RoleBadge } from './RoleBadge';

function Ignored({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** The orgs a user holds, as the table shows them; null for every org. */
function orgsText(user: User): string | null {
  if (seesAllOrgs(user.role)) return null;
  return [
    ...(user.allClientOrgsRole
      ? [`Every client org (${MEMBERSHIP_ROLE_LABELS[user.allClientOrgsRole]})`]
      : []),
    ...user.memberships.map((held) => `${held.orgName} (${MEMBERSHIP_ROLE_LABELS[held.role]})`),
  ].join(', ');
}

const pagesText = (user: User) =>
  seesAllOrgs(user.role) ? null : user.pages.map((page) => PAGE_LABELS[page]).join(', ');

const COLUMNS = ['name', 'email', 'role', 'org', 'pages', 'status'] as const;
const VALUES = {
  name: (user: User) => user.name,
  email: (user: User) => user.email,
  role: (user: User) => user.role,
  org: (user: User) => orgsText(user) ?? '',
  pages: (user: User) => pagesText(user) ?? '',
  status: (user: User) => (user.disabled ? 'disabled' : 'active'),
};

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
  const { sort, onSort } = useTableSort('sort', COLUMNS, { column: 'name', direction: 'asc' });
  const th = { sort, onSort };
  return (
    <DataTable minWidth={880} verticalSpacing="sm" highlightOnHover aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="name" label="Name" {...th} />
          <SortableTh column="email" label="Email" {...th} />
          <SortableTh column="role" label="Role" {...th} />
          {withOrg && <SortableTh column="org" label="Organization" {...th} />}
          <SortableTh column="pages" label="Pages" {...th} />
          <SortableTh column="status" label="Status" {...th} />
          {actionsFor && <Table.Th w={60} aria-label="Actions" />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(users, sort, VALUES).map((user) => {
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
                    orgsText(user)
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
                  <Text size="sm">{pagesText(user)}</Text>
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
    </DataTable>
  );
}

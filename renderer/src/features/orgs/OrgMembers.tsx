import {
  ActionIcon,
  Alert,
  Button,
  Code,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconTrash, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import type { Member } from '../../../../shared/contract/members';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import {
  allows,
  allowsIn,
  MANAGER_ASSIGNABLE,
  MEMBERSHIP_ROLES,
  type MembershipRole,
} from '../../../../shared/domain/permissions';
import { errorMessage } from '../../api/client';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { mutateThen } from '../../ui/mutate-then';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { useCreateInvite, useMembers, usePutMember, useRemoveMember } from '../members/queries';
import { MEMBERSHIP_ROLE_LABELS } from '../users/labels';

/** Who holds which role in one org; owners, admins and the org's managers change it here. */
const MEMBER_VALUES = {
  name: (member: Member) => member.name,
  email: (member: Member) => member.email,
  role: (member: Member) => MEMBERSHIP_ROLE_LABELS[member.role],
};

export function OrgMembers({ org, user }: { org: Org; user: SessionUser }) {
  const members = useMembers(org.id);
  const { sort, onSort } = useTableSort('sort', ['name', 'email', 'role'] as const, {
    column: 'name',
    direction: 'asc',
  });
  const th = { sort, onSort };
  const manages = allowsIn(user, 'members.manage', org.id) && org.status !== 'deleted';
  // A manager gives roles up to member; owners and admins any.
  const roles = allows(user, 'users.manage') ? MEMBERSHIP_ROLES : MANAGER_ASSIGNABLE;
  const roleOptions = roles.map((role) => ({ value: role, label: MEMBERSHIP_ROLE_LABELS[role] }));
  const put = usePutMember();
  const remove = useRemoveMember();

  const failed = (error: unknown) =>
    notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(error) });

  return (
    <Stack>
      {manages && <AddOrInvite org={org} roleOptions={roleOptions} />}
      <Paper withBorder p={0}>
        {members.isPending ? (
          <Stack p="md" gap="sm" aria-busy="true" aria-label="Loading members">
            {[0, 1].map((row) => (
              <Skeleton key={row} h={28} />
            ))}
          </Stack>
        ) : members.isError ? (
          <Stack p="md">
            <ErrorState
              title="Could not load members"
              error={members.error}
              onRetry={() => void members.refetch()}
            />
          </Stack>
        ) : members.data.length === 0 ? (
          <EmptyState icon={<IconUsers size={24} />} title="No members yet">
            <EmptyHint>Members of {org.name} see this organization with the role they hold in it.</EmptyHint>
          </EmptyState>
        ) : (
          <DataTable minWidth={560} aria-label={`Members of ${org.name}`} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="name" label="Name" {...th} />
                <SortableTh column="email" label="Email" {...th} />
                <SortableTh column="role" label="Role" {...th} />
                {manages && <Table.Th aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sortRows(members.data, sort, MEMBER_VALUES).map((member) => {
                const editable = manages && (roles.includes(member.role) || allows(user, 'users.manage'));
                return (
                  <Table.Tr key={member.userId}>
                    <Table.Td>{member.name}</Table.Td>
                    <Table.Td>{member.email}</Table.Td>
                    <Table.Td>
                      {editable ? (
                        <Select
                          aria-label={`Role of ${member.name}`}
                          w={160}
                          data={roleOptions}
                          value={member.role}
                          allowDeselect={false}
                          onChange={(role) =>
                            role &&
                            void mutateThen(
                              put,
                              { email: member.email, orgId: org.id, role: role as MembershipRole },
                              { onError: failed },
                            )
                          }
                        />
                      ) : (
                        MEMBERSHIP_ROLE_LABELS[member.role]
                      )}
                    </Table.Td>
                    {manages && (
                      <Table.Td>
                        {editable && (
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${member.name}`}
                            onClick={() =>
                              modals.openConfirmModal({
                                title: `Remove ${member.name} from ${org.name}?`,
                                children: (
                                  <Text size="sm">
                                    They lose access to {org.name} at their very next request.
                                  </Text>
                                ),
                                labels: { confirm: 'Remove', cancel: 'Cancel' },
                                confirmProps: { color: 'red' },
                                onConfirm: () =>
                                  void mutateThen(
                                    remove,
                                    { email: member.email, orgId: org.id },
                                    { onError: failed },
                                  ),
                              })
                            }
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </DataTable>
        )}
      </Paper>
    </Stack>
  );
}

/** Adds an existing user, or invites an email (the code is shown once). */
function AddOrInvite({
  org,
  roleOptions,
}: {
  org: Org;
  roleOptions: { value: MembershipRole; label: string }[];
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MembershipRole>('member');
  const put = usePutMember();
  const invite = useCreateInvite();
  const error = put.error ?? invite.error;

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group align="flex-end">
          <TextInput
            label="Email"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            w={280}
          />
          <Select
            label="Role"
            data={roleOptions}
            value={role}
            allowDeselect={false}
            onChange={(next) => next && setRole(next as MembershipRole)}
            w={160}
          />
          <Button
            variant="default"
            loading={put.isPending}
            onClick={() => {
              invite.reset();
              put.mutate({ email, orgId: org.id, role }, { onSuccess: () => setEmail('') });
            }}
          >
            Add existing user
          </Button>
          <Button
            loading={invite.isPending}
            onClick={() => {
              put.reset();
              invite.mutate({ email, memberships: [{ orgId: org.id, role }] });
            }}
          >
            Invite
          </Button>
        </Group>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        {invite.data && (
          <Alert color="green" variant="light" title={`Invite for ${invite.data.invite.email}`}>
            Send this link; it works once, until {new Date(invite.data.invite.expiresAt).toLocaleDateString()}
            , and is not shown again:{' '}
            <Code>{`${window.location.origin}${window.location.pathname}#/invite/${invite.data.code}`}</Code>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

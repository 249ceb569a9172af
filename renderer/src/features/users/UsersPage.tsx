import { Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import type { SessionUser } from '../../../../shared/contract/session';
import type { User } from '../../../../shared/contract/users';
import { navigate, paths } from '../../app/routes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { CreateUserModal } from './CreateUserModal';
import { EditUserModal } from './EditUserModal';
import { useUsers } from './queries';
import { ResetPasswordModal } from './ResetPasswordModal';
import { type UserActions, UserActionsMenu } from './UserActionsMenu';
import { UsersTable } from './UsersTable';
import { useConfirmedUserActions } from './use-confirmed-user-actions';

export function UsersPage({ user: me }: { user: SessionUser }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const users = useUsers(debounced);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const confirmed = useConfirmedUserActions();
  const actions: UserActions = {
    ...confirmed,
    edit: setEditing,
    resetPassword: setResetting,
    tokens: (user) => navigate(paths.tokens(user.id)),
  };
  const isOwner = me.role === 'owner';

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Users</Title>
          <Text c="dimmed" size="sm">
            Console accounts: who signs in, with which role, and what they may see.
          </Text>
        </div>
        <Button leftSection={<IconUserPlus size={16} />} onClick={() => setCreating(true)}>
          New user
        </Button>
      </Group>
      <TextInput
        placeholder="Search by name or email"
        aria-label="Search users"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={360}
        maw="100%"
      />
      <Paper withBorder p={0}>
        {users.isPending ? (
          <Stack p="md" gap="sm" aria-busy="true" aria-label="Loading users">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} h={28} />
            ))}
          </Stack>
        ) : users.isError ? (
          <Stack p="md">
            <ErrorState
              title="Could not load users"
              error={users.error}
              onRetry={() => void users.refetch()}
            />
          </Stack>
        ) : users.data.length === 0 ? (
          <EmptyState icon={<IconUsers size={24} />} title={debounced ? 'No match' : 'No users yet'}>
            <EmptyHint>
              {debounced ? `No user's name or email contains “${debounced}”.` : 'Create the first user.'}
            </EmptyHint>
          </EmptyState>
        ) : (
          <UsersTable
            label="Users"
            users={users.data}
            currentUserId={me.id}
            actionsFor={(user) => (
              <UserActionsMenu
                user={user}
                actions={actions}
                locked={!isOwner && user.role === 'owner' ? 'Only an owner can manage owners.' : null}
                isSelf={user.id === me.id}
                canTransfer={isOwner && user.id !== me.id && user.role !== 'owner' && !user.disabled}
                canResetTwoFactor={isOwner && user.twoFactor}
              />
            )}
          />
        )}
      </Paper>
      {creating && <CreateUserModal canGrantOwner={isOwner} onClose={() => setCreating(false)} />}
      {editing && (
        <EditUserModal
          key={editing.id}
          user={editing}
          canGrantOwner={isOwner}
          onClose={() => setEditing(null)}
        />
      )}
      {resetting && (
        <ResetPasswordModal key={resetting.id} user={resetting} onClose={() => setResetting(null)} />
      )}
    </Stack>
  );
}

import { Anchor, Paper, Skeleton, Stack } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { paths } from '../../app/routes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { useUsers } from '../users/queries';
import { UsersTable } from '../users/UsersTable';

/** The users bound to one org; they are managed on the Users page. */
export function OrgMembers({ org, currentUserId }: { org: Org; currentUserId: string }) {
  const users = useUsers('');
  const members = users.data?.filter((user) => user.boundOrgId === org.id) ?? [];

  return (
    <Paper withBorder p={0}>
      {users.isPending ? (
        <Stack p="md" gap="sm" aria-busy="true" aria-label="Loading members">
          {[0, 1].map((row) => (
            <Skeleton key={row} h={28} />
          ))}
        </Stack>
      ) : users.isError ? (
        <Stack p="md">
          <ErrorState
            title="Could not load members"
            error={users.error}
            onRetry={() => void users.refetch()}
          />
        </Stack>
      ) : members.length === 0 ? (
        <EmptyState icon={<IconUsers size={24} />} title="No users bound to this organization">
          <EmptyHint>
            A user bound to {org.name} sees this organization and nothing else. Bind one on the{' '}
            <Anchor href={`#${paths.users()}`}>Users page</Anchor>.
          </EmptyHint>
        </EmptyState>
      ) : (
        <UsersTable
          label={`Members of ${org.name}`}
          users={members}
          currentUserId={currentUserId}
          withOrg={false}
        />
      )}
    </Paper>
  );
}

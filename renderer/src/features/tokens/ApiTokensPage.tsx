import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconApi, IconDevicesOff, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiToken } from '../../../../shared/contract/tokens';
import { paths } from '../../app/routes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { mutateThen } from '../../ui/mutate-then';
import { QueryState } from '../../ui/QueryState';
import { confirmSignOutEverywhere } from '../session/confirm-sign-out-everywhere';
import { useSignOutEverywhere } from '../session/queries';
import { CreateTokenModal } from './CreateTokenModal';
import { useRevokeToken, useTokens } from './queries';
import { TokensTable } from './TokensTable';

/** The signed-in user's API tokens, or (userId, for owners and admins) another user's. */
export function ApiTokensPage({ userId }: { userId?: string }) {
  const tokens = useTokens(userId ?? null);
  const revoke = useRevokeToken();
  const signOutEverywhere = useSignOutEverywhere();
  const [creating, setCreating] = useState(false);
  const owner = tokens.data?.user;
  const whose = userId ? (owner?.name ?? 'this user') : 'you';

  const confirmRevoke = (token: ApiToken) =>
    modals.openConfirmModal({
      title: `Revoke “${token.name}”?`,
      centered: true,
      children: (
        <Text size="sm">
          Anything using this token ({token.prefix}…) is refused from now on. This cannot be undone.
        </Text>
      ),
      labels: { confirm: 'Revoke token', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        void mutateThen(revoke, token.id, {
          onSuccess: () => notifications.show({ color: 'teal', message: `“${token.name}” is revoked.` }),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'Could not revoke', message: error.message }),
        }),
    });

  return (
    <Stack gap="lg" maw={1100}>
      {userId && (
        <Anchor href={`#${paths.users()}`} size="sm">
          ← Users
        </Anchor>
      )}
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{userId ? `API tokens of ${owner?.name ?? '…'}` : 'API tokens'}</Title>
          <Text c="dimmed" size="sm" maw={680}>
            A token lets a script or a remote client call this console’s API as {whose}, with{' '}
            {userId ? 'their' : 'your'} role and organization access. Send it as{' '}
            <code>Authorization: Bearer &lt;token&gt;</code>.
          </Text>
        </div>
        <Group gap="sm">
          <Button
            variant="default"
            color="red"
            leftSection={<IconDevicesOff size={16} />}
            onClick={() =>
              confirmSignOutEverywhere(
                signOutEverywhere,
                userId ? { userId, name: owner?.name ?? 'this user' } : null,
              )
            }
          >
            Sign out everywhere
          </Button>
          <Button
            leftSection={<IconPlus size={16} />}
            disabled={!tokens.data}
            onClick={() => setCreating(true)}
          >
            New token
          </Button>
        </Group>
      </Group>
      <Paper withBorder p={0}>
        <QueryState
          query={tokens}
          loadingLabel="Loading API tokens"
          errorTitle="Could not load API tokens"
          rows={3}
          isEmpty={(data) => data.tokens.length === 0}
          empty={
            <EmptyState icon={<IconApi size={24} />} title="No API tokens yet">
              <EmptyHint>
                Create one for each script or remote client, so each can be revoked alone.
              </EmptyHint>
            </EmptyState>
          }
        >
          {(data) => <TokensTable tokens={data.tokens} onRevoke={confirmRevoke} />}
        </QueryState>
      </Paper>
      {creating && tokens.data && (
        <CreateTokenModal
          userId={userId}
          maxDays={tokens.data.maxExpiresInDays}
          onClose={() => setCreating(false)}
        />
      )}
    </Stack>
  );
}

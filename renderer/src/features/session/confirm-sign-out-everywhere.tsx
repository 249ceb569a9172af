import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { plural } from '../../../../shared/domain/counts';
import { mutateThen } from '../../ui/mutate-then';
import type { useSignOutEverywhere } from './queries';

/** Asks first: every browser, desktop app and script of that user must sign in (or get a token) again. */
export function confirmSignOutEverywhere(
  mutation: ReturnType<typeof useSignOutEverywhere>,
  who: { userId: string; name: string } | null,
) {
  modals.openConfirmModal({
    title: who ? `Sign ${who.name} out everywhere?` : 'Sign out everywhere?',
    centered: true,
    children: (
      <Text size="sm">
        {who ? `Every session of ${who.name} ends` : 'Every session of yours ends, this one included,'} and
        every API token {who ? 'of theirs' : 'of yours'} is revoked: scripts using them are refused from now
        on. This cannot be undone.
      </Text>
    ),
    labels: { confirm: 'Sign out everywhere', cancel: 'Cancel' },
    confirmProps: { color: 'red' },
    onConfirm: () =>
      void mutateThen(mutation, who?.userId ?? null, {
        onSuccess: (ended) =>
          who &&
          notifications.show({
            color: 'teal',
            message: `${who.name}: ${plural(ended.sessionsEnded, 'session')} ended, ${plural(ended.tokensRevoked, 'token')} revoked.`,
          }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: 'Could not sign out everywhere',
            message: error.message,
          }),
      }),
  });
}

import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { mutateThen } from '../../ui/mutate-then';
import type { useLeaveOrg } from './queries';

/** Asks first: the user loses the org until someone adds or invites them again. */
export function confirmLeaveOrg(mutation: ReturnType<typeof useLeaveOrg>, org: { id: string; name: string }) {
  modals.openConfirmModal({
    title: `Leave ${org.name}?`,
    centered: true,
    children: (
      <Text size="sm">
        You will no longer see {org.name} or anything in it. Only someone who manages it can add or invite you
        again.
      </Text>
    ),
    labels: { confirm: `Leave ${org.name}`, cancel: 'Cancel' },
    confirmProps: { color: 'red' },
    onConfirm: () =>
      void mutateThen(mutation, org.id, {
        onSuccess: () => notifications.show({ color: 'teal', message: `You left ${org.name}.` }),
        onError: (error) =>
          notifications.show({ color: 'red', title: `Could not leave ${org.name}`, message: error.message }),
      }),
  });
}

import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import type { User } from '../../../../shared/contract/users';
import {
  useDeleteUser,
  useDisableUser,
  useEnableUser,
  useResetTwoFactor,
  useTransferOwnership,
} from './queries';

interface Confirmation {
  title: string;
  body: ReactNode;
  confirm: string;
  color: string;
  run: () => Promise<unknown>;
  done: string;
  failed: string;
}

function confirmThen({ title, body, confirm, color, run, done, failed }: Confirmation) {
  modals.openConfirmModal({
    title,
    centered: true,
    children: <Text size="sm">{body}</Text>,
    labels: { confirm, cancel: 'Cancel' },
    confirmProps: { color },
    onConfirm: () =>
      run().then(
        () => notifications.show({ color: 'teal', message: done }),
        (error: Error) => notifications.show({ color: 'red', title: failed, message: error.message }),
      ),
  });
}

/** The user actions that ask first: each opens a confirmation, then reports the result. */
export function useConfirmedUserActions() {
  const disable = useDisableUser();
  const enable = useEnableUser();
  const remove = useDeleteUser();
  const transfer = useTransferOwnership();
  const resetTwoFactor = useResetTwoFactor();

  return {
    disable: (user: User) =>
      confirmThen({
        title: `Disable ${user.name}?`,
        body: 'They are signed out at once and cannot sign in until you enable them again.',
        confirm: 'Disable',
        color: 'red',
        run: () => disable.mutateAsync(user.id),
        done: `${user.name} is disabled.`,
        failed: 'Could not disable',
      }),
    enable: (user: User) =>
      confirmThen({
        title: `Enable ${user.name}?`,
        body: 'They can sign in again with their password.',
        confirm: 'Enable',
        color: 'teal',
        run: () => enable.mutateAsync(user.id),
        done: `${user.name} can sign in again.`,
        failed: 'Could not enable',
      }),
    remove: (user: User) =>
      confirmThen({
        title: `Delete ${user.name}?`,
        body: `${user.email} loses access for good. This cannot be undone.`,
        confirm: 'Delete user',
        color: 'red',
        run: () => remove.mutateAsync(user.id),
        done: `${user.name} is deleted.`,
        failed: 'Could not delete',
      }),
    transfer: (user: User) =>
      confirmThen({
        title: `Make ${user.name} the owner?`,
        body: `${user.name} becomes the owner and you become an admin: you will no longer be able to delete organizations or transfer ownership.`,
        confirm: 'Transfer ownership',
        color: 'grape',
        run: () => transfer.mutateAsync(user.id),
        done: `${user.name} is now the owner; you are an admin.`,
        failed: 'Could not transfer ownership',
      }),
    resetTwoFactor: (user: User) =>
      confirmThen({
        title: `Reset ${user.name}’s two-factor sign-in?`,
        body: `${user.name} signs in with their password alone until they set up a new second factor (at once, where it is required).`,
        confirm: 'Reset two-factor sign-in',
        color: 'red',
        run: () => resetTwoFactor.mutateAsync(user.id),
        done: `${user.name}’s second factor is removed.`,
        failed: 'Could not reset',
      }),
  };
}

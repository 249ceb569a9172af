import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { User } from '../../../../shared/contract/users';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/domain/password';
import { useContractForm } from '../../ui/use-contract-form';
import { useResetPassword } from './queries';

/** Mounted per user (keyed by their id), so the field starts empty. */
export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const form = useContractForm(({ contract }) => contract['users.resetPassword'].input, {
    id: user.id,
    password: '',
  });
  const reset = useResetPassword();

  return (
    <Modal opened onClose={onClose} title={`Reset the password of ${user.name}`} centered>
      <form
        onSubmit={form.submit(
          reset,
          (saved) => {
            notifications.show({
              color: 'teal',
              title: 'Password reset',
              message: `${saved.name} signs in with the new password from now on.`,
            });
            onClose();
          },
          'Could not reset the password',
        )}
      >
        <Stack>
          <Text size="sm">They are signed out everywhere and sign in again with the new password.</Text>
          <PasswordInput
            label="New password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            data-autofocus
            autoComplete="new-password"
            {...form.text('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={reset.isPending}>
              Set new password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

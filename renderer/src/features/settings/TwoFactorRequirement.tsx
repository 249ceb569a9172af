import { Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { useUpdateSettings } from './queries';

/** The owner's choice: everyone signs in with a second factor; users without one enrol at their next sign-in. */
export function TwoFactorRequirement({ required, isOwner }: { required: boolean; isOwner: boolean }) {
  const update = useUpdateSettings();
  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <div>
          <Title order={4}>Two-factor sign-in</Title>
          <Text size="sm" c="dimmed">
            {isOwner
              ? 'Users without a second factor set one up at their next sign-in, before anything else.'
              : 'Only an owner changes this.'}
          </Text>
        </div>
        <Switch
          label="Require two-factor sign-in"
          checked={required}
          disabled={!isOwner || update.isPending}
          onChange={(event) =>
            void mutateThen(
              update,
              { requireTwoFactor: event.currentTarget.checked },
              {
                onSuccess: (saved) =>
                  notifications.show({
                    color: 'teal',
                    title: 'Settings saved',
                    message: saved.requireTwoFactor
                      ? 'Two-factor sign-in is required.'
                      : 'Two-factor sign-in is optional.',
                  }),
                onError: (error) =>
                  notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(error) }),
              },
            )
          }
        />
      </Stack>
    </Paper>
  );
}

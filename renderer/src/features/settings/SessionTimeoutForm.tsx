import { Button, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Settings } from '../../../../shared/contract/settings';
import { useContractForm } from '../../ui/use-contract-form';
import { useUpdateSettings } from './queries';

const SessionTimeout = Settings.pick({ sessionTimeoutHours: true });

/** Mounted once the settings are loaded, so it starts from the stored value. */
export function SessionTimeoutForm({ hours }: { hours: number }) {
  const form = useContractForm(SessionTimeout, { sessionTimeoutHours: hours });
  const update = useUpdateSettings();

  return (
    <Paper withBorder p="lg">
      <form
        aria-label="Sign-in"
        onSubmit={form.submit(update, (saved) =>
          notifications.show({
            color: 'teal',
            title: 'Settings saved',
            message: `New sign-ins last ${saved.sessionTimeoutHours} hour(s).`,
          }),
        )}
      >
        <Stack>
          <div>
            <Title order={4}>Sign-in</Title>
            <Text size="sm" c="dimmed">
              Applies to every console user.
            </Text>
          </div>
          <NumberInput
            label="Session timeout (hours)"
            description="How long a sign-in lasts, from 1 to 720 hours. Applies to sign-ins from now on."
            maw={420}
            min={1}
            max={720}
            clampBehavior="none"
            allowDecimal={false}
            allowNegative={false}
            value={Number.isNaN(form.values.sessionTimeoutHours) ? '' : form.values.sessionTimeoutHours}
            error={form.errors.sessionTimeoutHours}
            onChange={(value) =>
              form.set('sessionTimeoutHours', typeof value === 'number' ? value : Number.NaN)
            }
          />
          <Group>
            <Button type="submit" loading={update.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

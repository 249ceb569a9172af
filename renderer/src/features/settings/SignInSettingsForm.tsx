import { Button, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Settings } from '../../../../shared/contract/settings';
import { plural } from '../../../../shared/domain/counts';
import { TOKEN_DAYS } from '../../../../shared/domain/token-days';
import type { FormSchemas } from '../../ui/load-form-schemas';
import { useContractForm } from '../../ui/use-contract-form';
import { useUpdateSettings } from './queries';

const signInSettings = ({ Settings }: FormSchemas) =>
  Settings.pick({ sessionTimeoutHours: true, apiTokenMaxDays: true });

/** Mounted once the settings are loaded, so it starts from the stored values. */
export function SignInSettingsForm({ settings }: { settings: Settings }) {
  const form = useContractForm(signInSettings, {
    sessionTimeoutHours: settings.sessionTimeoutHours,
    apiTokenMaxDays: settings.apiTokenMaxDays,
  });
  const update = useUpdateSettings();

  return (
    <Paper withBorder p="lg">
      <form
        aria-label="Sign-in"
        onSubmit={form.submit(update, (saved) =>
          notifications.show({
            color: 'teal',
            title: 'Settings saved',
            message: `Sign-ins last ${plural(saved.sessionTimeoutHours, 'hour')}, open ones too; API tokens at most ${plural(saved.apiTokenMaxDays, 'day')}.`,
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
            description="How long a sign-in lasts, from 1 to 720 hours, counted from each sign-in: a shorter timeout also ends sessions open longer."
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
          <NumberInput
            label="Longest API token lifetime (days)"
            description={`From ${TOKEN_DAYS.min} to ${TOKEN_DAYS.max} days, counted from each token's creation. Lowering it also ends older tokens that are past it.`}
            maw={420}
            min={TOKEN_DAYS.min}
            max={TOKEN_DAYS.max}
            clampBehavior="none"
            allowDecimal={false}
            allowNegative={false}
            value={Number.isNaN(form.values.apiTokenMaxDays) ? '' : form.values.apiTokenMaxDays}
            error={form.errors.apiTokenMaxDays}
            onChange={(value) => form.set('apiTokenMaxDays', typeof value === 'number' ? value : Number.NaN)}
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

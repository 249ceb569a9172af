import { Skeleton, Stack, Text, Title } from '@mantine/core';
import { ErrorState } from '../../ui/ErrorState';
import { WebhookSection } from '../alerts/WebhookSection';
import { useCurrentSession } from '../session/queries';
import { BackupsSection } from './BackupsSection';
import { useSettings } from './queries';
import { SignInSettingsForm } from './SignInSettingsForm';
import { StatementSettingsForm } from './StatementSettingsForm';
import { TwoFactorRequirement } from './TwoFactorRequirement';

export function SettingsPage() {
  const settings = useSettings();
  const session = useCurrentSession();
  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Title order={2}>Settings</Title>
        <Text c="dimmed" size="sm">
          How this console behaves for everyone who uses it.
        </Text>
      </div>
      {settings.isPending ? (
        <Skeleton h={180} aria-busy="true" aria-label="Loading settings" />
      ) : settings.isError ? (
        <ErrorState
          title="Could not load the settings"
          error={settings.error}
          onRetry={() => void settings.refetch()}
        />
      ) : (
        <>
          <SignInSettingsForm settings={settings.data} />
          <TwoFactorRequirement
            required={settings.data.requireTwoFactor}
            isOwner={session.data?.user?.role === 'owner'}
          />
          <StatementSettingsForm settings={settings.data} />
        </>
      )}
      {session.data?.user?.role === 'owner' && <WebhookSection />}
      <BackupsSection />
    </Stack>
  );
}

import { Alert, Button, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import type { ConnectionStatus } from '../../../../shared/contract/connection';
import { errorMessage } from '../../api/client';
import { usePickedMode } from './connection-store';
import { useKeepForSession, useSwitchProfile } from './queries';

/** "This computer" or "Orgdeck server", on the sign-in and setup pages of the desktop app. */
export function ProfilePicker({ status }: { status: ConnectionStatus }) {
  const { picked, pick } = usePickedMode();
  const switchProfile = useSwitchProfile();
  const mode = picked ?? status.mode;

  if (!status.switchable) {
    // `orgdeck serve` shows its own data; a console started with --remote shows one server.
    return status.mode === 'server' ? (
      <Text size="sm" c="dimmed">
        Orgdeck server: <b>{status.url}</b>
      </Text>
    ) : null;
  }
  return (
    <Stack gap="xs">
      <SegmentedControl
        fullWidth
        aria-label="Where your data is"
        value={mode}
        data={[
          { value: 'local', label: 'This computer' },
          { value: 'server', label: 'Orgdeck server' },
        ]}
        onChange={(value) => {
          const next = value === 'server' ? 'server' : 'local';
          pick(next);
          if (next === 'local' && status.mode !== 'local') switchProfile.mutate('local');
        }}
      />
      {switchProfile.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(switchProfile.error)}
        </Alert>
      )}
      {mode === 'server' && <KeychainNotice status={status} />}
    </Stack>
  );
}

/** Without a keychain the token is never written anywhere: the user may keep it in memory for this session. */
function KeychainNotice({ status }: { status: ConnectionStatus }) {
  const keep = useKeepForSession();
  if (status.keychain === 'available' || status.sessionOnly) return null;
  return (
    <Alert color="yellow" variant="light" icon={<IconKey />} title="No keychain on this computer">
      <Text size="sm">
        Orgdeck keeps server sign-ins in the system keychain, and there is none here
        {status.keychainProblem ? ` (${status.keychainProblem})` : ''}. Your sign-in is never written to a
        file.
      </Text>
      <Button mt="sm" size="xs" variant="light" loading={keep.isPending} onClick={() => keep.mutate()}>
        Keep only for this session
      </Button>
      {keep.error && (
        <Text size="sm" c="red" mt="xs">
          {errorMessage(keep.error)}
        </Text>
      )}
    </Alert>
  );
}

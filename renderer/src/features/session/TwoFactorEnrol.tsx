import { Alert, Button, Code, Group, Image, List, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { loadFormSchemas } from '../../ui/load-form-schemas';
import { useTwoFactorEnrolment } from './queries';

/**
 * Enrolling an authenticator app: scan the QR code (or type the secret), prove it with a code,
 * then keep the 10 recovery codes, shown this once.
 */
export function TwoFactorEnrol({ onDone }: { onDone: () => void }) {
  const { begin, confirm, done } = useTwoFactorEnrolment();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);

  if (confirm.data) {
    return (
      <Stack>
        <Alert color="green" variant="light" title="Two-factor sign-in is on">
          Keep these recovery codes somewhere safe. Each signs you in once if you lose your phone; they are
          not shown again.
        </Alert>
        <List spacing={2} aria-label="Recovery codes">
          {confirm.data.recoveryCodes.map((recovery) => (
            <List.Item key={recovery}>
              <Code>{recovery}</Code>
            </List.Item>
          ))}
        </List>
        <Button
          onClick={() => {
            void done();
            onDone();
          }}
        >
          I saved my recovery codes
        </Button>
      </Stack>
    );
  }

  if (!begin.data) {
    return (
      <Stack>
        <Text size="sm">
          You will need an authenticator app (such as 1Password, Google Authenticator or Aegis) on your phone.
        </Text>
        {begin.error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(begin.error)}
          </Alert>
        )}
        <Button onClick={() => begin.mutate()} loading={begin.isPending}>
          Set up two-factor sign-in
        </Button>
      </Stack>
    );
  }

  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        const { TotpCode } = await loadFormSchemas();
        const parsed = TotpCode.safeParse(code);
        setCodeError(parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Check the code'));
        if (parsed.success) confirm.mutate(parsed.data);
      }}
    >
      <Stack>
        <Text size="sm">
          Scan this code with your authenticator app, then type the 6-digit code it shows.
        </Text>
        <Group justify="center">
          <Image src={begin.data.qrDataUrl} alt="QR code to scan with an authenticator app" w={200} h={200} />
        </Group>
        <Text size="xs" c="dimmed">
          Cannot scan? Type this secret instead: <Code data-testid="totp-secret">{begin.data.secret}</Code>
        </Text>
        {confirm.error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(confirm.error)}
          </Alert>
        )}
        <TextInput
          label="Code from the app"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          error={codeError}
          onChange={(event) => setCode(event.currentTarget.value)}
        />
        <Button type="submit" loading={confirm.isPending}>
          Turn on two-factor sign-in
        </Button>
      </Stack>
    </form>
  );
}

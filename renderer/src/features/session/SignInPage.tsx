import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { AppError } from '../../../../shared/contract/envelope';
import { errorMessage } from '../../api/client';
import { navigate } from '../../app/routes';
import { CenteredCard } from '../../ui/CenteredCard';
import { loadFormSchemas } from '../../ui/load-form-schemas';
import { mutateThen } from '../../ui/mutate-then';
import { useContractForm } from '../../ui/use-contract-form';
import { usePickedMode } from '../connection/connection-store';
import { ProfilePicker } from '../connection/ProfilePicker';
import { useAddProfile, useConnectionStatus } from '../connection/queries';
import { sessionKeys, useSignIn } from './queries';

export function SignInPage() {
  const status = useConnectionStatus().data;
  const picked = usePickedMode((state) => state.picked);
  const toServer = status?.switchable === true && (picked ?? status.mode) === 'server';
  const form = useContractForm(({ contract }) => contract['session.signIn'].input, {
    email: status?.email ?? '',
    password: '',
  });
  const [url, setUrl] = useState(status?.url ?? '');
  const [urlError, setUrlError] = useState<string | null>(null);
  const signIn = useSignIn();
  const addProfile = useAddProfile();
  const client = useQueryClient();
  const error = addProfile.error ?? signIn.error;
  // The password was right and the account has a second factor: ask for its code.
  const needsCode =
    signIn.error instanceof AppError &&
    (signIn.error.details as { needs?: string } | undefined)?.needs === 'totp';
  const [totp, setTotp] = useState('');
  const refused = error instanceof AppError && error.code !== 'VALIDATION' && !(needsCode && !totp);

  async function submit() {
    const input = await form.validate();
    const address = toServer ? (await loadFormSchemas()).ServerUrl.safeParse(url) : null;
    setUrlError(
      address && !address.success ? (address.error.issues[0]?.message ?? 'Check the address') : null,
    );
    if (!input || (address && !address.success)) return;
    signIn.reset();
    if (address?.success) {
      // A server profile is its address and account; adding it switches to it, like a workspace.
      const added = await addProfile.mutateAsync({ url: address.data, email: input.email }).catch(() => null);
      if (!added) return;
      await client.cancelQueries({ queryKey: sessionKeys.all });
    }
    void mutateThen(signIn, needsCode && totp ? { ...input, totp } : input, {
      onError: form.showServerErrors,
    });
  }

  return (
    <CenteredCard
      title="Sign in"
      subtitle={
        toServer || status?.mode === 'server'
          ? 'Use your account on the Orgdeck server.'
          : 'Use your Orgdeck console account.'
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack>
          {status && <ProfilePicker status={status} />}
          {refused && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(error)}
            </Alert>
          )}
          {toServer && (
            <TextInput
              label="Server address"
              placeholder="https://orgdeck.example.com"
              autoComplete="url"
              value={url}
              error={urlError}
              onChange={(event) => setUrl(event.currentTarget.value)}
            />
          )}
          <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.text('email')} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.text('password')} />
          {needsCode && (
            <TextInput
              label="Authentication code"
              description="The 6-digit code from your authenticator app, or a recovery code"
              autoComplete="one-time-code"
              autoFocus
              value={totp}
              onChange={(event) => setTotp(event.currentTarget.value)}
            />
          )}
          <Button type="submit" loading={signIn.isPending || addProfile.isPending} fullWidth>
            Sign in
          </Button>
          <Button variant="subtle" size="compact-sm" onClick={() => navigate('/invite')}>
            I have an invite
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}

import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { contract } from '../../../../shared/contract';
import { ServerUrl } from '../../../../shared/contract/connection';
import { AppError } from '../../../../shared/contract/envelope';
import { errorMessage } from '../../api/client';
import { CenteredCard } from '../../ui/CenteredCard';
import { useContractForm } from '../../ui/use-contract-form';
import { usePickedMode } from '../connection/connection-store';
import { ProfilePicker } from '../connection/ProfilePicker';
import { useAddProfile, useConnectionStatus } from '../connection/queries';
import { sessionKeys, useSignIn } from './queries';

export function SignInPage() {
  const status = useConnectionStatus().data;
  const picked = usePickedMode((state) => state.picked);
  const toServer = status?.switchable === true && (picked ?? status.mode) === 'server';
  const form = useContractForm(contract['session.signIn'].input, {
    email: status?.email ?? '',
    password: '',
  });
  const [url, setUrl] = useState(status?.url ?? '');
  const [urlError, setUrlError] = useState<string | null>(null);
  const signIn = useSignIn();
  const addProfile = useAddProfile();
  const client = useQueryClient();
  const error = addProfile.error ?? signIn.error;
  const refused = error instanceof AppError && error.code !== 'VALIDATION';

  async function submit() {
    const input = form.validate();
    const address = toServer ? ServerUrl.safeParse(url) : null;
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
    signIn.mutate(input, { onError: form.showServerErrors });
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
          <Button type="submit" loading={signIn.isPending || addProfile.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}

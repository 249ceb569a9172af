import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { contract } from '../../../../shared/contract';
import { AppError } from '../../../../shared/contract/envelope';
import { errorMessage } from '../../api/client';
import { CenteredCard } from '../../ui/CenteredCard';
import { useContractForm } from '../../ui/use-contract-form';
import { useSignIn } from './queries';

export function SignInPage() {
  const form = useContractForm(contract['session.signIn'].input, { email: '', password: '' });
  const signIn = useSignIn();
  const refused = signIn.error instanceof AppError && signIn.error.code !== 'VALIDATION';

  return (
    <CenteredCard title="Sign in" subtitle="Use your Orgdeck console account.">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const input = form.validate();
          if (input) signIn.mutate(input, { onError: form.showServerErrors });
        }}
      >
        <Stack>
          {refused && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(signIn.error)}
            </Alert>
          )}
          <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.text('email')} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.text('password')} />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}

import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { AppError } from '../../../../shared/contract/envelope';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/domain/password';
import { errorMessage } from '../../api/client';
import { navigate } from '../../app/routes';
import { CenteredCard } from '../../ui/CenteredCard';
import { mutateThen } from '../../ui/mutate-then';
import { useContractForm } from '../../ui/use-contract-form';
import { useAcceptInvite } from './queries';

/** "I have an invite": the code (from the link, or typed), a name and a password make the account. */
export function InvitePage({ code }: { code: string }) {
  const form = useContractForm(({ contract }) => contract['invites.accept'].input, {
    code,
    name: '',
    password: '',
  });
  const accept = useAcceptInvite();
  const refused = accept.error instanceof AppError && accept.error.code !== 'VALIDATION';

  return (
    <CenteredCard
      title="Accept your invite"
      subtitle="Choose your name and a password to create your account."
    >
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const input = await form.validate();
          if (input) void mutateThen(accept, input, { onError: form.showServerErrors });
        }}
      >
        <Stack>
          {refused && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(accept.error)}
            </Alert>
          )}
          <TextInput label="Invite code" autoComplete="off" {...form.text('code')} />
          <TextInput label="Your name" autoComplete="name" autoFocus {...form.text('name')} />
          <PasswordInput
            label="Password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            autoComplete="new-password"
            {...form.text('password')}
          />
          <Button type="submit" loading={accept.isPending} fullWidth>
            Create my account
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={() => navigate('/')}>
            Back to sign in
          </Anchor>
        </Stack>
      </form>
    </CenteredCard>
  );
}

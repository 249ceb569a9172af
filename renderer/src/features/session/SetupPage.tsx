import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { AppError } from '../../../../shared/contract/envelope';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/domain/password';
import { errorMessage, fieldIssues } from '../../api/client';
import { CenteredCard } from '../../ui/CenteredCard';
import { mutateThen } from '../../ui/mutate-then';
import { useContractForm } from '../../ui/use-contract-form';
import { ProfilePicker } from '../connection/ProfilePicker';
import { useConnectionStatus } from '../connection/queries';
import { useCurrentSession, useSetup } from './queries';

export function SetupPage() {
  const form = useContractForm(({ contract }) => contract['setup.init'].input, {
    ownerName: '',
    ownerEmail: '',
    password: '',
    orgName: 'Platform',
    setupCode: '',
  });
  const setup = useSetup();
  const status = useConnectionStatus().data;
  const setupCodeRequired = useCurrentSession().data?.setupCodeRequired ?? false;
  // A refusal naming a field shows on that field; any other (already set up, say) above the form.
  const refused = setup.error instanceof AppError && fieldIssues(setup.error).length === 0;

  return (
    <CenteredCard
      title="Set up Orgdeck"
      subtitle="Create the owner account and your own organization. Client organizations come next."
    >
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const input = await form.validate();
          if (input) void mutateThen(setup, input, { onError: form.showServerErrors });
        }}
      >
        <Stack>
          {status && <ProfilePicker status={status} />}
          {refused && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(setup.error)}
            </Alert>
          )}
          {setupCodeRequired && (
            <TextInput
              label="Setup code"
              description="Printed by orgdeck serve on the server's console when it started."
              autoComplete="one-time-code"
              autoFocus
              {...form.text('setupCode')}
            />
          )}
          <TextInput
            label="Your name"
            autoComplete="name"
            autoFocus={!setupCodeRequired}
            {...form.text('ownerName')}
          />
          <TextInput label="Email" type="email" autoComplete="username" {...form.text('ownerEmail')} />
          <PasswordInput
            label="Password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            autoComplete="new-password"
            {...form.text('password')}
          />
          <TextInput
            label="Your organization"
            description="The platform operator's own organization."
            {...form.text('orgName')}
          />
          <Button type="submit" loading={setup.isPending} fullWidth>
            Create owner account
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}

import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { contract } from '../../../../shared/contract';
import { AppError } from '../../../../shared/contract/envelope';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/domain/password';
import { errorMessage } from '../../api/client';
import { CenteredCard } from '../../ui/CenteredCard';
import { useContractForm } from '../../ui/use-contract-form';
import { ProfilePicker } from '../connection/ProfilePicker';
import { useConnectionStatus } from '../connection/queries';
import { useSetup } from './queries';

export function SetupPage() {
  const form = useContractForm(contract['setup.init'].input, {
    ownerName: '',
    ownerEmail: '',
    password: '',
    orgName: 'Platform',
  });
  const setup = useSetup();
  const status = useConnectionStatus().data;
  const refused = setup.error instanceof AppError && setup.error.code !== 'VALIDATION';

  return (
    <CenteredCard
      title="Set up Orgdeck"
      subtitle="Create the owner account and your own organization. Client organizations come next."
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const input = form.validate();
          if (input) setup.mutate(input, { onError: form.showServerErrors });
        }}
      >
        <Stack>
          {status && <ProfilePicker status={status} />}
          {refused && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(setup.error)}
            </Alert>
          )}
          <TextInput label="Your name" autoComplete="name" autoFocus {...form.text('ownerName')} />
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

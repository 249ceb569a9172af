import { Button, Divider, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/domain/password';
import { useContractForm } from '../../ui/use-contract-form';
import { AccessFields } from './AccessFields';
import { useCreateUser } from './queries';
import { useOrgOptions } from './use-org-options';

const EMPTY = {
  email: '',
  name: '',
  role: 'user' as const,
  boundOrgId: null,
  pages: [],
  password: '',
};

/** Mounted while open, so each opening starts empty. */
export function CreateUserModal({ onClose, canGrantOwner }: { onClose: () => void; canGrantOwner: boolean }) {
  const form = useContractForm(({ contract }) => contract['users.create'].input, EMPTY);
  const create = useCreateUser();
  const orgs = useOrgOptions();

  return (
    <Modal opened onClose={onClose} title="New user" centered size="lg">
      {/* The contract's messages say what is wrong, not the browser's own email check. */}
      <form
        noValidate
        onSubmit={form.submit(
          create,
          (user) => {
            notifications.show({
              color: 'teal',
              title: 'User created',
              message: `${user.name} can sign in as ${user.email}.`,
            });
            onClose();
          },
          'Could not create the user',
        )}
      >
        <Stack>
          <Group grow align="flex-start">
            <TextInput label="Name" data-autofocus {...form.text('name')} />
            <TextInput label="Email" type="email" autoComplete="off" {...form.text('email')} />
          </Group>
          <PasswordInput
            label="Password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters. Give it to them safely.`}
            autoComplete="new-password"
            {...form.text('password')}
          />
          <Divider label="Access" labelPosition="left" />
          <AccessFields
            values={form.values}
            errors={form.errors}
            onRole={(role) => form.set('role', role)}
            onOrg={(orgId) => form.set('boundOrgId', orgId)}
            onPages={(pages) => form.set('pages', pages)}
            orgs={orgs}
            canGrantOwner={canGrantOwner}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

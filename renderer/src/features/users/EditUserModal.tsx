import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { User } from '../../../../shared/contract/users';
import { useContractForm } from '../../ui/use-contract-form';
import { AccessFields } from './AccessFields';
import { useUpdateUser } from './queries';
import { useOrgOptions } from './use-org-options';

/** Mounted per user (keyed by their id), so the form starts from that user's values. */
export function EditUserModal({
  user,
  onClose,
  canGrantOwner,
}: {
  user: User;
  onClose: () => void;
  canGrantOwner: boolean;
}) {
  const form = useContractForm(({ contract }) => contract['users.update'].input, {
    id: user.id,
    name: user.name,
    role: user.role,
    memberships: user.memberships.map(({ orgId, role }) => ({ orgId, role })),
    pages: user.pages,
  });
  const update = useUpdateUser();
  const options = useOrgOptions();
  // The list holds current orgs only (and nothing while it loads); the user's own stay readable anyway.
  const orgs = [
    ...options,
    ...user.memberships
      .filter((held) => !options.some((org) => org.value === held.orgId))
      .map((held) => ({ value: held.orgId, label: held.orgName })),
  ];

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.name}`} centered size="lg">
      <form
        onSubmit={form.submit(update, (saved) => {
          notifications.show({ color: 'teal', title: 'Saved', message: `${saved.name} is up to date.` });
          onClose();
        })}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            Signs in as {user.email}
          </Text>
          <TextInput label="Name" data-autofocus {...form.text('name')} />
          <AccessFields
            values={{
              role: form.values.role ?? user.role,
              memberships: form.values.memberships,
              pages: form.values.pages,
            }}
            errors={form.errors}
            onRole={(role) => form.set('role', role)}
            onMemberships={(memberships) => form.set('memberships', memberships)}
            onPages={(pages) => form.set('pages', pages)}
            orgs={orgs}
            canGrantOwner={canGrantOwner}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { contract } from '../../../../shared/contract';
import { TOKEN_DAYS } from '../../../../shared/contract/tokens';
import { useContractForm } from '../../ui/use-contract-form';
import { NewTokenSecret } from './NewTokenSecret';
import { useCreateToken } from './queries';

const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: '1 year' },
];

/** Mounted while open; after creating, it shows the secret once instead of the form. */
export function CreateTokenModal({
  userId,
  onClose,
}: {
  /** For another user (owners and admins); the signed-in user when left out. */
  userId?: string;
  onClose: () => void;
}) {
  const form = useContractForm(contract['tokens.create'].input, {
    name: '',
    expiresInDays: TOKEN_DAYS.default,
    userId,
  });
  const create = useCreateToken();
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <Modal
      opened
      onClose={onClose}
      title={secret ? 'API token created' : 'New API token'}
      centered
      size="lg"
      closeOnClickOutside={secret === null}
    >
      {secret ? (
        <NewTokenSecret secret={secret} onDone={onClose} />
      ) : (
        <form
          noValidate
          onSubmit={form.submit(create, (created) => setSecret(created.secret), 'Could not create the token')}
        >
          <Stack>
            <TextInput
              label="Name"
              description="What uses it, so you know which one to revoke later: “Nightly export”, “CI”."
              data-autofocus
              {...form.text('name')}
            />
            <Select
              label="Expires after"
              data={EXPIRY_CHOICES}
              value={String(form.values.expiresInDays)}
              onChange={(value) => value && form.set('expiresInDays', Number(value))}
              error={form.errors.expiresInDays}
              allowDeselect={false}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

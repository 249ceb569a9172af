import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { TOKEN_DAYS } from '../../../../shared/domain/token-days';
import { useContractForm } from '../../ui/use-contract-form';
import { useTwoFactorStatus } from '../session/queries';
import { NewTokenSecret } from './NewTokenSecret';
import { useCreateToken } from './queries';

const EXPIRY_CHOICES = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 180, label: '180 days' },
  { days: 365, label: '1 year' },
];

/** The usual choices up to the owner's cap, and the cap itself when it is none of them. */
function expiryChoices(maxDays: number) {
  const choices = EXPIRY_CHOICES.filter((choice) => choice.days <= maxDays);
  if (!choices.some((choice) => choice.days === maxDays))
    choices.push({ days: maxDays, label: `${maxDays} day${maxDays === 1 ? '' : 's'} (the longest allowed)` });
  return choices.map((choice) => ({ value: String(choice.days), label: choice.label }));
}

/** Mounted while open; after creating, it shows the secret once instead of the form. */
export function CreateTokenModal({
  userId,
  maxDays,
  onClose,
}: {
  /** For another user (owners and admins); the signed-in user when left out. */
  userId?: string;
  /** The owner's cap on a token's lifetime. */
  maxDays: number;
  onClose: () => void;
}) {
  const form = useContractForm(({ contract }) => contract['tokens.create'].input, {
    name: '',
    expiresInDays: Math.min(TOKEN_DAYS.default, maxDays),
    userId,
    password: '',
    totpCode: '',
  });
  // Someone with two-factor sign-in proves it again too; the server asks in any case.
  const enrolled = useTwoFactorStatus().data?.enrolled === true;
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
              data={expiryChoices(maxDays)}
              value={String(form.values.expiresInDays)}
              onChange={(value) => value && form.set('expiresInDays', Number(value))}
              error={form.errors.expiresInDays}
              allowDeselect={false}
            />
            <PasswordInput
              label="Your password"
              description="Asked again before a new credential is made."
              autoComplete="current-password"
              {...form.text('password')}
            />
            {enrolled && (
              <TextInput
                label="Authenticator code"
                description="The current code from your authenticator app, or one of your recovery codes."
                autoComplete="one-time-code"
                inputMode="numeric"
                {...form.text('totpCode')}
              />
            )}
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

import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { slugify } from '../../../../shared/domain/slug';
import { useContractForm } from '../../ui/use-contract-form';
import { useCreateOrg } from './queries';
import { TIME_ZONES } from './time-zones';

const EMPTY = { name: '', slug: '', rate: '0.00', timezone: 'UTC' };

export function CreateOrgModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const form = useContractForm(({ contract }) => contract['orgs.create'].input, EMPTY);
  // The slug follows the name until the user types one of their own.
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useCreateOrg();

  const close = () => {
    form.reset(EMPTY);
    setSlugEdited(false);
    create.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="New organization" centered>
      <form
        onSubmit={form.submit(
          create,
          (org) => {
            notifications.show({
              color: 'teal',
              title: 'Organization created',
              message: `${org.name} (${org.slug})`,
            });
            close();
          },
          'Could not create the organization',
        )}
      >
        <Stack>
          <TextInput
            label="Name"
            placeholder="Acme Corporation"
            data-autofocus
            value={form.values.name}
            error={form.errors.name}
            onChange={(event) => {
              const name = event.currentTarget.value;
              form.set('name', name);
              if (!slugEdited) form.set('slug', slugify(name));
            }}
          />
          <TextInput
            label="Slug"
            description="Used in URLs and the CLI. It cannot be changed later."
            value={form.values.slug ?? ''}
            error={form.errors.slug}
            onChange={(event) => {
              setSlugEdited(true);
              form.set('slug', event.currentTarget.value);
            }}
          />
          <Group grow align="flex-start">
            <TextInput
              label="Rate per agent / month"
              leftSection="$"
              inputMode="decimal"
              {...form.text('rate')}
            />
            <Select
              label="Time zone"
              data={TIME_ZONES}
              searchable
              allowDeselect={false}
              value={form.values.timezone ?? 'UTC'}
              error={form.errors.timezone}
              onChange={(value) => value && form.set('timezone', value)}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create organization
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

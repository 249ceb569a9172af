import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Org } from '../../../../shared/contract/orgs';
import { useContractForm } from '../../ui/use-contract-form';
import { useRenameOrg } from './queries';

/** Mounted per org (keyed by its id), so the form starts from that org's current name. */
export function RenameOrgModal({ org, onClose }: { org: Org; onClose: () => void }) {
  const form = useContractForm(({ contract }) => contract['orgs.rename'].input, {
    id: org.id,
    name: org.name,
  });
  const rename = useRenameOrg();

  return (
    <Modal opened onClose={onClose} title={`Rename ${org.name}`} centered>
      <form
        onSubmit={form.submit(
          rename,
          (renamed) => {
            notifications.show({ color: 'teal', title: 'Renamed', message: `Now called ${renamed.name}.` });
            onClose();
          },
          'Could not rename',
        )}
      >
        <Stack>
          <TextInput label="Name" data-autofocus {...form.text('name')} />
          <Text size="sm" c="dimmed">
            The slug <b>{org.slug}</b> stays the same.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={rename.isPending}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Button, Group, Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useContractForm } from '../../ui/use-contract-form';
import { DocumentFields } from './DocumentFields';
import { useAddDocument } from './queries';

/** Mounted while open, so each opening starts empty. */
export function AddDocumentModal({
  org,
  onClose,
}: {
  org: { id: string; name: string };
  onClose: () => void;
}) {
  const form = useContractForm(({ contract }) => contract['knowledge.add'].input, {
    orgId: org.id,
    title: '',
    body: '',
    tags: [],
  });
  const add = useAddDocument();

  return (
    <Modal opened onClose={onClose} title={`New document in ${org.name}`} centered size="xl">
      <form
        noValidate
        onSubmit={form.submit(
          add,
          (doc) => {
            notifications.show({
              color: 'teal',
              title: 'Document added',
              message: `“${doc.title}” is in ${doc.org.name}’s knowledge.`,
            });
            onClose();
          },
          'Could not add the document',
        )}
      >
        <Stack>
          <DocumentFields
            title={form.text('title')}
            tags={{
              value: form.values.tags ?? [],
              error: form.errors.tags,
              onChange: (tags) => form.set('tags', tags),
            }}
            body={form.text('body')}
            hints={true}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add document
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

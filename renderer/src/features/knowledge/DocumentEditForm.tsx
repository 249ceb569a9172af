import { Button, Group, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { mutateThen, useStillMounted } from '../../ui/mutate-then';
import { useContractForm } from '../../ui/use-contract-form';
import { DocumentFields } from './DocumentFields';
import { useUpdateDocument } from './queries';

/** Title, tags and text of a document; only what changed is sent. Mount per document. */
export function DocumentEditForm({
  doc,
  onDone,
}: {
  doc: KnowledgeDoc & { body: string };
  onDone: () => void;
}) {
  const stillMounted = useStillMounted();
  const form = useContractForm(({ contract }) => contract['knowledge.update'].input, {
    id: doc.id,
    title: doc.title,
    tags: doc.tags,
    body: doc.body,
  });
  const update = useUpdateDocument();

  return (
    <form
      noValidate
      aria-label="Edit the document"
      onSubmit={async (event) => {
        event.preventDefault();
        const input = await form.validate();
        if (!input) return;
        const sameTags = JSON.stringify(input.tags) === JSON.stringify(doc.tags);
        void mutateThen(
          update,
          {
            id: doc.id,
            // Edited from this state: another editor's save meanwhile is a CONFLICT, not overwritten.
            expectedUpdatedAt: doc.updatedAt,
            ...(input.title !== doc.title ? { title: input.title } : {}),
            ...(sameTags ? {} : { tags: input.tags }),
            // A new title need not send up to 2 MB of unchanged text back.
            ...(input.body !== doc.body ? { body: input.body } : {}),
          },
          {
            onSuccess: (saved) => {
              notifications.show({
                color: 'teal',
                title: 'Saved',
                message: `“${saved.title}” is up to date.`,
              });
              if (stillMounted()) onDone();
            },
            onError: (error) => {
              if (!form.showServerErrors(error)) {
                notifications.show({ color: 'red', title: 'Could not save', message: error.message });
              }
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <DocumentFields
          title={form.text('title')}
          tags={{
            value: form.values.tags ?? [],
            error: form.errors.tags,
            onChange: (tags) => form.set('tags', tags),
          }}
          body={form.text('body')}
          hints={false}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

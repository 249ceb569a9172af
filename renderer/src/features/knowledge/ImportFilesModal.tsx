import { Badge, Button, FileInput, Group, Modal, Progress, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFiles } from '@tabler/icons-react';
import { useState } from 'react';
import { KNOWLEDGE_EXTENSIONS } from '../../../../shared/domain/knowledge-text';
import { kb } from '../../ui/bytes';
import { type FileImport, type FileStatus, useFileImport } from './use-file-import';

const STATUS: Record<FileStatus, { label: string; color: string }> = {
  refused: { label: 'Refused', color: 'red' },
  waiting: { label: 'Waiting', color: 'gray' },
  uploading: { label: 'Uploading', color: 'blue' },
  importing: { label: 'Reading', color: 'blue' },
  added: { label: 'Added', color: 'teal' },
  failed: { label: 'Not added', color: 'red' },
};

function FileRow({ item }: { item: FileImport }) {
  const status = STATUS[item.status];
  const share = item.status === 'added' ? 100 : (item.sent / item.file.size) * 100;
  const bad = item.status === 'refused' || item.status === 'failed';
  return (
    <Stack gap={4} role="listitem" aria-label={item.file.name}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" ff="monospace" truncate>
          {item.file.name}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {kb(item.file.size)}
          </Text>
          <Badge size="sm" variant="light" color={status.color}>
            {status.label}
          </Badge>
        </Group>
      </Group>
      {item.status !== 'refused' && (
        <Progress
          value={share}
          size="sm"
          color={bad ? 'red' : item.status === 'added' ? 'teal' : 'blue'}
          aria-label={`Upload of ${item.file.name}`}
        />
      )}
      {item.note && (
        <Text size="xs" c={bad ? 'red' : 'dimmed'}>
          {item.status === 'added' ? `Added as “${item.note}”` : item.note}
        </Text>
      )}
    </Stack>
  );
}

/** Mounted while open: pick several files, see each go up and in, and which were refused and why. */
export function ImportFilesModal({
  org,
  onClose,
}: {
  org: { id: string; name: string };
  onClose: () => void;
}) {
  const flow = useFileImport(org.id);
  const [picked, setPicked] = useState<File[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const ready = flow.files.filter((item) => item.status === 'waiting').length;

  const start = async () => {
    const { added, failed } = await flow.run(tags);
    if (added > 0) {
      notifications.show({
        color: failed > 0 ? 'yellow' : 'teal',
        title: added === 1 ? 'Document added' : `${added} documents added`,
        message:
          failed > 0
            ? `${failed} of the files could not be added: see why in the list.`
            : `They are in ${org.name}’s knowledge.`,
      });
    } else if (failed > 0) {
      notifications.show({ color: 'red', title: 'Nothing added', message: 'See why in the list of files.' });
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Import files into ${org.name}`} centered size="lg">
      <Stack>
        <FileInput
          label="Files"
          description="Markdown, text, HTML or PDF. Each file becomes one document, titled by its first heading or else its name."
          placeholder="Pick one or more files"
          multiple
          accept={KNOWLEDGE_EXTENSIONS.join(',')}
          leftSection={<IconFiles size={16} />}
          value={picked}
          onChange={(files) => {
            setPicked(files);
            flow.pick(files);
          }}
          clearable
          disabled={flow.running}
        />
        <TagsInput
          label="Tags"
          description="Optional, given to every file. Press Enter after each tag."
          value={tags}
          onChange={setTags}
          disabled={flow.running}
        />
        {flow.accepted.length > 0 && (
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {flow.finished ? 'Done' : flow.running ? 'Importing…' : 'Ready to import'}
              </Text>
              <Text size="sm" c="dimmed">
                {flow.accepted.filter((item) => item.status === 'added').length} of {flow.accepted.length}{' '}
                added
              </Text>
            </Group>
            <Progress
              value={flow.progress}
              size="md"
              color={flow.finished ? 'teal' : undefined}
              aria-label="Overall progress"
            />
          </Stack>
        )}
        {flow.files.length > 0 && (
          <Stack gap="sm" role="list" aria-label="Files to import">
            {flow.files.map((item) => (
              <FileRow key={item.key} item={item} />
            ))}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {flow.finished ? 'Close' : 'Cancel'}
          </Button>
          {!flow.finished && (
            <Button onClick={() => void start()} disabled={ready === 0} loading={flow.running}>
              {ready === 0 ? 'Import' : ready === 1 ? 'Import 1 file' : `Import ${ready} files`}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

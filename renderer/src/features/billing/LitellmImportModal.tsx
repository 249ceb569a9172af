import { Alert, Badge, Button, FileInput, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconFileTypeJs } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { plural } from '../../../../shared/domain/counts';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { PriceChangesTable } from './PriceChangesTable';
import { useImportLitellm, usePreviewLitellm } from './queries';

/** The contract takes at most this many characters of JSON. */
const MAX_CONTENT = 900_000;

type Preview = ChannelOutput<'prices.previewLitellm'>;

function Counts({ preview }: { preview: Preview }) {
  const count = (kind: Preview['changes'][number]['kind']) =>
    preview.changes.filter((change) => change.kind === kind).length;
  return (
    <Group gap="xs" aria-label="Preview counts" role="group">
      <Badge color="teal" variant="light" size="lg">
        {count('new')} new
      </Badge>
      <Badge color="blue" variant="light" size="lg">
        {count('changed')} changed
      </Badge>
      <Badge color="gray" variant="light" size="lg">
        {count('same')} same
      </Badge>
      {preview.skipped.length > 0 && (
        <Badge color="yellow" variant="light" size="lg" title="Entries without per-token prices">
          {preview.skipped.length} skipped
        </Badge>
      )}
    </Group>
  );
}

/** Pick a LiteLLM cost map, see what it would change, then apply it. Mounted while open. */
export function LitellmImportModal({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [content, setContent] = useState<string | null>(null);
  // Empty: the server's default, the first day of the usage already imported (shown once previewed).
  const [from, setFrom] = useState('');
  const [readError, setReadError] = useState<string | null>(null);
  const preview = usePreviewLitellm();
  const apply = useImportLitellm();

  const runPreview = (text: string, day: string) => preview.mutate({ content: text, from: day || undefined });

  const pick = async (picked: File | null) => {
    setFile(picked);
    setContent(null);
    setReadError(null);
    preview.reset();
    if (!picked) return;
    const text = await picked.text().catch(() => null);
    if (text === null) return setReadError('The file could not be read.');
    if (text.length > MAX_CONTENT)
      return setReadError(
        `The file is too large: at most ${MAX_CONTENT.toLocaleString('en-US')} characters of JSON.`,
      );
    setContent(text);
    runPreview(text, from);
  };

  const changes = preview.data?.changes.filter((change) => change.kind !== 'same') ?? [];

  return (
    <Modal opened onClose={onClose} title="Import LiteLLM prices" centered size="xl">
      <Stack>
        <Text size="sm" c="dimmed">
          A LiteLLM cost map (model_prices_and_context_window.json) gives USD per token; it is stored as USD
          per 1M tokens from the day below. Models not in the file keep their prices.
        </Text>
        <Group grow align="flex-start">
          <FileInput
            label="LiteLLM JSON file"
            placeholder="Pick a .json file"
            accept=".json,application/json"
            leftSection={<IconFileTypeJs size={16} />}
            value={file}
            onChange={(picked) => void pick(picked)}
            clearable
            error={readError}
          />
          <TextInput
            label="Effective from"
            description="UTC day; first day of the usage already imported unless you pick one"
            type="date"
            value={from || preview.data?.from || ''}
            onChange={(event) => {
              const day = event.currentTarget.value;
              setFrom(day);
              if (content) runPreview(content, day);
            }}
          />
        </Group>
        {preview.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Cannot read this cost map">
            {errorMessage(preview.error)}
          </Alert>
        )}
        {preview.isPending && <Text size="sm">Reading the cost map…</Text>}
        {preview.data && (
          <Stack gap="sm">
            <Group justify="space-between">
              <div>
                <Text size="sm" fw={600}>
                  From {preview.data.from}
                </Text>
                <Text size="sm" c="dimmed">
                  {preview.data.months_priced > 0
                    ? `Prices ${plural(preview.data.months_priced, 'month')} of usage already imported.`
                    : 'No usage imported from this day on: these prices cost future imports.'}
                </Text>
              </div>
              <Counts preview={preview.data} />
            </Group>
            {changes.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing would change: every model already has these prices.
              </Text>
            ) : (
              <PriceChangesTable changes={changes} />
            )}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={!content || !preview.data || changes.length === 0 || preview.isPending}
            loading={apply.isPending}
            onClick={() => {
              if (!content) return;
              void mutateThen(
                apply,
                { content, from: from || undefined },
                {
                  onSuccess: (result) => {
                    notifications.show({
                      color: 'teal',
                      title: 'Prices imported',
                      message: `${plural(result.applied, 'model price')} from ${result.from}; ${plural(
                        result.months_priced,
                        'month',
                      )} of imported usage priced.`,
                    });
                    onClose();
                  },
                  onError: (error) =>
                    notifications.show({ color: 'red', title: 'Could not import', message: error.message }),
                },
              );
            }}
          >
            {changes.length > 0 ? `Apply ${plural(changes.length, 'change')}` : 'Apply'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

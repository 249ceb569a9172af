import {
  Alert,
  Button,
  FileInput,
  Group,
  List,
  Modal,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconFileImport, IconInfoCircle } from '@tabler/icons-react';
import { Fragment, type ReactNode, useState } from 'react';
import type { ImportCounts, ImportPreview } from '../../../../shared/contract/transfer';
import { formatCount } from '../../../../shared/domain/counts';
import { errorMessage, fieldErrors } from '../../api/client';
import { navigate, paths } from '../../app/routes';
import { kb } from '../../ui/bytes';
import { loadFormSchemas } from '../../ui/load-form-schemas';
import { mutateThen, useStillMounted } from '../../ui/mutate-then';
import { formatLocal } from '../../ui/time';
import { useApplyImport, usePreviewImport } from './transfer-queries';

const COUNTS: [keyof ImportCounts, string][] = [
  ['agents', 'Agents'],
  ['formerAgents', 'Former agents'],
  ['users', 'Users'],
  ['policies', 'Policies'],
  ['policyVersions', 'Policy versions'],
  ['knowledge', 'Knowledge documents'],
  ['usageRows', 'Daily usage rows'],
  ['prices', 'Model prices'],
  ['assignments', 'Assignment intervals'],
  ['inactivePeriods', 'Inactive periods'],
  ['auditEntries', 'Audit entries'],
  ['closedMonths', 'Months closed there'],
];

function CountsGrid({ counts }: { counts: ImportCounts }) {
  return (
    <SimpleGrid
      cols={{ base: 2, sm: 3 }}
      spacing="xs"
      verticalSpacing={4}
      aria-label="What the archive holds"
    >
      {COUNTS.map(([key, label]) => (
        <Group key={key} justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {label}
          </Text>
          <Text
            size="sm"
            fw={counts[key] > 0 ? 600 : 400}
            c={counts[key] > 0 ? undefined : 'dimmed'}
            style={{ fontVariantNumeric: 'tabular-nums' }}
          >
            {counts[key]}
          </Text>
        </Group>
      ))}
    </SimpleGrid>
  );
}

const nowrap = (text: string) => (
  <Text span ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
    {text}
  </Text>
);
/** The words that agree with a count ("1 user comes", "3 users come"); shared/domain/counts' `plural` writes the count too. */
const agreeing = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The preview's consequences a person should know before saying yes. */
function notesOf(preview: ImportPreview): { key: string; text: ReactNode }[] {
  const { counts, skippedUsers, renamedHandles, pricesToAdd } = preview;
  const users = counts.users - skippedUsers.length;
  const notes: { key: string; text: ReactNode }[] = [];
  if (users > 0) {
    notes.push({
      key: 'passwords',
      text: `${formatCount(users)} ${agreeing(users, 'user comes', 'users come')} without a password: reset ${agreeing(users, 'their password', 'each one’s password')} on the Users page before they can sign in.`,
    });
  }
  if (skippedUsers.length > 0) {
    notes.push({
      key: 'accounts',
      text: (
        <>
          Already {agreeing(skippedUsers.length, 'has an account', 'have accounts')} here, kept as{' '}
          {agreeing(skippedUsers.length, 'it is', 'they are')} and not bound to the imported organization:{' '}
          {skippedUsers.map((user, i) => (
            <Fragment key={user.email}>
              {i > 0 && ', '}
              {nowrap(user.email)}
            </Fragment>
          ))}
        </>
      ),
    });
  }
  if (renamedHandles.length > 0) {
    notes.push({
      key: 'handles',
      text: (
        <>
          Agent handles taken here get a new one:{' '}
          {renamedHandles.map(({ handle, importedAs }, i) => (
            <Fragment key={handle}>
              {i > 0 && ', '}
              {nowrap(`${handle} → ${importedAs}`)}
            </Fragment>
          ))}
        </>
      ),
    });
  }
  if (counts.formerAgents > 0) {
    notes.push({
      key: 'former',
      text: `${formatCount(counts.formerAgents)} former ${agreeing(counts.formerAgents, 'agent comes', 'agents come')} in deleted, so past months bill as before.`,
    });
  }
  const pricedHere = counts.prices - pricesToAdd;
  if (pricesToAdd > 0 || pricedHere > 0) {
    const added =
      pricesToAdd > 0
        ? `${formatCount(pricesToAdd)} ${agreeing(pricesToAdd, 'price', 'prices')} of models without a price here will be added, and price every organization’s usage of those models here`
        : '';
    const kept =
      pricedHere > 0
        ? `${formatCount(pricedHere)} ${agreeing(pricedHere, 'price is', 'prices are')} of models priced here, which keep their prices and price this org’s usage too`
        : '';
    notes.push({ key: 'prices', text: `${[added, kept].filter(Boolean).join('; ')}.` });
  }
  return notes;
}

/** This very archive was imported here before: a second import is most likely a mistake. */
function ImportedBefore({ earlier }: { earlier: ImportPreview['importedBefore'] }) {
  return (
    <Alert color="yellow" icon={<IconAlertTriangle />} title="Imported here before">
      <Stack gap={4}>
        <Text size="sm">
          This archive was imported before. Importing it again makes another copy of the organization, whose
          usage and revenue then count twice.
        </Text>
        <List size="sm" spacing={2}>
          {earlier.map(({ entry, at, org }) => (
            <List.Item key={entry}>
              {formatLocal(at)}:{' '}
              {org ? (
                <>
                  {org.name} {nowrap(org.slug)}
                  {org.deleted && ', deleted since'}
                </>
              ) : (
                'an organization since purged'
              )}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Alert>
  );
}

/** What importing will do, with the slug field when the archive's slug is taken here. */
function PreviewStep({
  preview,
  onBack,
  onClose,
}: {
  preview: ImportPreview;
  onBack: () => void;
  onClose: () => void;
}) {
  const [slug, setSlug] = useState(preview.slug.taken ? preview.slug.suggestion : '');
  const [slugError, setSlugError] = useState<string | undefined>();
  const apply = useApplyImport();
  const stillMounted = useStillMounted();
  const { counts } = preview;
  const notes = notesOf(preview);

  const submit = async () => {
    let chosen: string | undefined;
    if (preview.slug.taken) {
      const { Slug } = await loadFormSchemas();
      const parsed = Slug.safeParse(slug.trim());
      if (!parsed.success) return setSlugError(parsed.error.issues[0]?.message);
      chosen = parsed.data;
    }
    void mutateThen(
      apply,
      { importId: preview.importId, slug: chosen },
      {
        onSuccess: ({ org }) => {
          notifications.show({
            color: 'teal',
            title: 'Organization imported',
            message: `${org.name} (${org.slug})`,
          });
          // Closed meanwhile: the user chose to stay where they were.
          if (!stillMounted()) return;
          onClose();
          navigate(paths.org(org.slug));
        },
        onError: (error) => {
          const field = fieldErrors(error).slug;
          if (field) setSlugError(field);
        },
      },
    );
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack>
        <div>
          <Title order={4}>
            {preview.org.name}{' '}
            <Text span ff="monospace" c="dimmed" size="sm">
              {preview.org.slug}
            </Text>
          </Title>
          <Text size="sm" c="dimmed">
            {preview.fileName} · exported {formatLocal(preview.exportedAt)}
          </Text>
        </div>
        <CountsGrid counts={counts} />
        {preview.importedBefore.length > 0 && <ImportedBefore earlier={preview.importedBefore} />}
        {preview.slug.taken && (
          <Alert color="yellow" icon={<IconAlertTriangle />} title="The slug is taken here">
            <Stack gap="xs">
              <Text size="sm">
                {preview.slug.takenBy} already uses <strong>{preview.org.slug}</strong>. The imported
                organization needs a slug of its own.
              </Text>
              <TextInput
                label="New slug"
                description="Used in URLs and the CLI. It cannot be changed later."
                value={slug}
                error={slugError}
                onChange={(event) => {
                  setSlug(event.currentTarget.value);
                  setSlugError(undefined);
                }}
                data-autofocus
              />
            </Stack>
          </Alert>
        )}
        {notes.length > 0 && (
          <Alert color="blue" icon={<IconInfoCircle />} title="Before you import">
            <List size="sm" spacing={4}>
              {notes.map((note) => (
                <List.Item key={note.key}>{note.text}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {apply.isError && !fieldErrors(apply.error).slug && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Could not import the organization">
            {errorMessage(apply.error)}
          </Alert>
        )}
        <Group justify="space-between">
          <Button variant="subtle" onClick={onBack} disabled={apply.isPending}>
            Choose another file
          </Button>
          <Group>
            <Button variant="default" onClick={onClose} disabled={apply.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={apply.isPending}>
              Import organization
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** Pick an archive → upload with progress → preview → import, then open the new org. */
export function ImportOrgModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ done: number; total: number } | null>(null);
  const preview = usePreviewImport((done, total) => setSent({ done, total }));

  const restart = () => {
    setFile(null);
    setSent(null);
    preview.reset();
  };
  const close = () => {
    restart();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Import an organization" size="lg" centered>
      {preview.data ? (
        <PreviewStep preview={preview.data} onBack={restart} onClose={close} />
      ) : (
        <Stack>
          <Text size="sm" c="dimmed">
            An archive made with Export on an organization's page (or <code>orgdeck export</code>), from this
            install or another. You see what it holds before anything is imported.
          </Text>
          <FileInput
            label="Org archive"
            placeholder="Pick a .json archive"
            accept=".json,application/json"
            leftSection={<IconFileImport size={16} />}
            value={file}
            onChange={(picked) => {
              setFile(picked);
              setSent(null);
              preview.reset();
            }}
            clearable
            disabled={preview.isPending}
            error={file && file.size === 0 ? 'The file is empty.' : undefined}
            data-autofocus
          />
          {sent && preview.isPending && (
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm">{sent.done < sent.total ? 'Uploading…' : 'Checking the archive…'}</Text>
                <Text size="sm" c="dimmed">
                  {kb(sent.done)} of {kb(sent.total)}
                </Text>
              </Group>
              <Progress
                value={sent.total > 0 ? (sent.done / sent.total) * 100 : 0}
                aria-label="Upload progress"
                animated={sent.done >= sent.total}
              />
            </Stack>
          )}
          {preview.isError && (
            <Alert color="red" icon={<IconAlertTriangle />} title="Could not read the archive">
              {errorMessage(preview.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              disabled={!file || file.size === 0}
              loading={preview.isPending}
              onClick={() => file && preview.mutate(file)}
            >
              Upload and preview
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

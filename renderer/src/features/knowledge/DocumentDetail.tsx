import {
  Alert,
  Anchor,
  Button,
  Divider,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowsExchange, IconLock, IconPencil, IconShare, IconTrash } from '@tabler/icons-react';
import { Suspense, useState } from 'react';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { seesAllOrgs } from '../../../../shared/domain/permissions';
import { paths } from '../../app/routes';
import { deleteAndClose } from '../../ui/delete-and-close';
import { lazyComponent } from '../../ui/lazy-component';
import { DocumentEditForm } from './DocumentEditForm';
import { DocumentFacts } from './DocumentFacts';
import { MoveDocumentModal } from './MoveDocumentModal';
import { useDeleteDocument } from './queries';
import { ShareDocumentModal } from './ShareDocumentModal';

type FullDoc = KnowledgeDoc & { body: string; readOnly: boolean };

/** The Markdown renderer's code loads with the first document shown formatted, not with the page. */
const MarkdownBody = lazyComponent(async () => (await import('./MarkdownBody')).MarkdownBody);

/**
 * A document's facts and text, and what this session may do with it there: edit and delete its
 * own org's documents; share (owner-org documents) and move, for owners and admins.
 */
export function DocumentDetail({
  doc,
  contextOrg,
  user,
  onGone,
}: {
  doc: FullDoc;
  contextOrg: Org;
  user: SessionUser;
  onGone: () => void;
}) {
  const all = seesAllOrgs(user.role);
  const readOnly = doc.readOnly || doc.org.id !== contextOrg.id;
  const [editing, setEditing] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [moving, setMoving] = useState(false);
  // Markdown formatted by default; the plain text shows exactly what agents read.
  const [shown, setShown] = useState<'formatted' | 'plain'>('formatted');
  const remove = useDeleteDocument();

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete “${doc.title}”?`,
      centered: true,
      children: (
        <Text size="sm">
          Agents of {doc.org.name}
          {doc.sharing && (doc.sharing.all || doc.sharing.orgs.length > 0)
            ? ' and of the organizations it is shared with'
            : ''}{' '}
          can no longer read it, and search no longer finds it. This cannot be undone.
        </Text>
      ),
      labels: { confirm: 'Delete document', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => deleteAndClose(remove, doc.id, `“${doc.title}”`, onGone),
    });

  if (editing) return <DocumentEditForm doc={doc} onDone={() => setEditing(false)} />;
  return (
    <Stack gap="lg">
      {readOnly && (
        <Alert color="gray" variant="light" icon={<IconLock />} title="Read-only here">
          Shared with {contextOrg.name} by {doc.org.name}.{' '}
          {!doc.readOnly && (
            <>
              To change it,{' '}
              <Anchor href={`#${paths.org(doc.org.slug, 'knowledge')}`} size="sm" onClick={onGone}>
                open it in {doc.org.name}’s knowledge
              </Anchor>
              .
            </>
          )}
        </Alert>
      )}
      <DocumentFacts doc={doc} />
      {!readOnly && (
        <Group gap="sm">
          <Button variant="light" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
            Edit
          </Button>
          {all && doc.sharing && (
            <Button variant="default" leftSection={<IconShare size={16} />} onClick={() => setSharing(true)}>
              Share…
            </Button>
          )}
          {all && (
            <Button
              variant="default"
              leftSection={<IconArrowsExchange size={16} />}
              onClick={() => setMoving(true)}
            >
              Move to…
            </Button>
          )}
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={16} />}
            loading={remove.isPending}
            onClick={confirmDelete}
          >
            Delete
          </Button>
        </Group>
      )}
      <Group justify="space-between">
        <Divider label="Text" labelPosition="left" style={{ flex: 1 }} />
        <SegmentedControl
          size="xs"
          aria-label="Show the text"
          value={shown}
          onChange={(value) => setShown(value as 'formatted' | 'plain')}
          data={[
            { value: 'formatted', label: 'Formatted' },
            { value: 'plain', label: 'Plain text' },
          ]}
        />
      </Group>
      <Paper withBorder p="md" bg="var(--mantine-color-default-hover)">
        <ScrollArea.Autosize mah="60vh">
          {doc.body && shown === 'formatted' ? (
            <Suspense fallback={<Skeleton h={120} aria-busy="true" aria-label="Loading the document" />}>
              <MarkdownBody.Component text={doc.body} />
            </Suspense>
          ) : doc.body ? (
            <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {doc.body}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              No text.
            </Text>
          )}
        </ScrollArea.Autosize>
      </Paper>
      {sharing && <ShareDocumentModal doc={doc} onClose={() => setSharing(false)} />}
      {moving && <MoveDocumentModal doc={doc} onClose={() => setMoving(false)} onMoved={onGone} />}
    </Stack>
  );
}

import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { useOrgs } from '../orgs/queries';
import { useMoveDocument } from './queries';

/**
 * Moving changes which agents can read a document, so the target is chosen and the consequences
 * are spelled out before the move. Mounted while open.
 */
export function MoveDocumentModal({
  doc,
  onClose,
  onMoved,
}: {
  doc: KnowledgeDoc;
  onClose: () => void;
  onMoved: () => void;
}) {
  const [orgId, setOrgId] = useState<string | null>(null);
  const orgs = useOrgs('');
  const move = useMoveDocument();
  const options = (orgs.data ?? [])
    .filter((org) => org.id !== doc.org.id)
    .map((org) => ({ value: org.id, label: org.isOwner ? `${org.name} (owner)` : org.name }));
  const target = orgs.data?.find((org) => org.id === orgId);
  const sharingEnds = !!doc.sharing && (doc.sharing.all || doc.sharing.orgs.length > 0) && !target?.isOwner;

  return (
    <Modal opened onClose={onClose} title={`Move “${doc.title}”`} centered>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!target) return;
          void mutateThen(
            move,
            { id: doc.id, orgId: target.id },
            {
              onSuccess: (moved) => {
                notifications.show({
                  color: 'teal',
                  title: 'Moved',
                  message: `“${moved.title}” is now in ${moved.org.name}’s knowledge.`,
                });
                onMoved();
              },
            },
          );
        }}
      >
        <Stack>
          <Select
            label="Move to"
            placeholder="Pick an organization"
            data={options}
            value={orgId}
            onChange={(value) => {
              setOrgId(value);
              move.reset();
            }}
            searchable
            nothingFoundMessage="No organization matches"
            leftSection={<IconBuilding size={16} />}
            data-autofocus
          />
          {target && (
            <Text size="sm">
              Agents of {doc.org.name} stop seeing it and agents of {target.name} start to. The move is
              recorded in the audit trail of both organizations.
            </Text>
          )}
          {target && sharingEnds && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle />}>
              It is shared now. Only the owner organization’s documents are shared, so it stops being shared.
            </Alert>
          )}
          {move.isError && (
            <Alert color="red" variant="light" role="alert" title="Not moved">
              {errorMessage(move.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" disabled={!target} loading={move.isPending}>
              {target ? `Move to ${target.name}` : 'Move'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

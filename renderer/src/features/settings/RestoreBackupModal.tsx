import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type Backup, statementsKeptSentence } from '../../../../shared/contract/backups';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { formatLocal } from '../../ui/time';
import { useRestoreBackup } from './backup-queries';

/** What the notice after a restore says. */
function restoredNotice(result: { previousStoreKeptAs: string; statementsKept?: string[] }): string {
  // A server of an older Orgdeck (same contract version) answers without the documents it kept.
  const kept = result.statementsKept ?? [];
  const carried = kept.length === 0 ? '' : ` ${statementsKeptSentence(kept)}`;
  return `Sign in again. The previous store is kept as ${result.previousStoreKeptAs}.${carried}`;
}

/** Mounted while open: says what a restore does before anyone confirms it. */
export function RestoreBackupModal({ backup, onClose }: { backup: Backup; onClose: () => void }) {
  const restore = useRestoreBackup();
  const when = formatLocal(backup.createdAt);

  return (
    <Modal opened onClose={onClose} title="Restore this backup?" centered>
      <Stack>
        <Text size="sm">
          The store goes back to the backup of <b>{when}</b>, for every organization.
        </Text>
        <List size="sm" spacing={4}>
          <List.Item>
            Everything changed since then is undone: organizations, agents, billing, users added since.
          </List.Item>
          <List.Item>
            Who may sign in stays as it is today: passwords, second factors, roles, disabled or deleted users,
            revoked API tokens, used invites and the sign-in settings.
          </List.Item>
          <List.Item>
            The current store is kept aside as a backup (“Before a restore”), so you can go back to it.
          </List.Item>
          <List.Item>Everyone is signed out, you included, and signs in again.</List.Item>
        </List>
        {restore.isError && (
          <Alert color="red" variant="light" role="alert" title="Not restored">
            {errorMessage(restore.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            loading={restore.isPending}
            onClick={() =>
              void mutateThen(restore, backup.name, {
                onSuccess: (result) =>
                  notifications.show({
                    color: 'teal',
                    title: 'Backup restored',
                    message: restoredNotice(result),
                    autoClose: false,
                  }),
              })
            }
          >
            Restore backup
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

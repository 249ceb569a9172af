import { Button, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconPlayerPause, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows } from '../../../../shared/domain/permissions';
import { mutateThen } from '../../ui/mutate-then';
import { DeleteOrgModal } from './DeleteOrgModal';
import { ExportOrgButton } from './ExportOrgButton';
import { useActivateOrg, useDeactivateOrg } from './queries';

const failed = (title: string) => (error: Error) =>
  notifications.show({ color: 'red', title, message: error.message });

/** Export, deactivate / activate and delete; the owner organization and deleted ones have none of them. */
export function OrgLifecycleActions({ org, user }: { org: Org; user: SessionUser }) {
  const deactivate = useDeactivateOrg();
  const activate = useActivateOrg();
  const [deleting, { open: openDelete, close: closeDelete }] = useDisclosure(false);
  if (org.isOwner || org.status === 'deleted' || !allows(user, 'orgs.manage')) return null;

  const confirmDeactivate = () =>
    modals.openConfirmModal({
      title: `Deactivate ${org.name}?`,
      centered: true,
      children: (
        <Text size="sm">
          Its agents stop operating and show as “stopped by org” until you activate it again. Nothing is
          deleted: its agents, users and data stay as they are.
        </Text>
      ),
      labels: { confirm: 'Deactivate', cancel: 'Cancel' },
      confirmProps: { color: 'orange' },
      onConfirm: () =>
        void mutateThen(deactivate, org.id, {
          onSuccess: (done) =>
            notifications.show({ color: 'teal', title: 'Deactivated', message: `${done.name} is inactive.` }),
          onError: failed('Could not deactivate'),
        }),
    });

  return (
    <>
      <ExportOrgButton org={org} />
      {org.status === 'active' ? (
        <Button
          variant="default"
          leftSection={<IconPlayerPause size={16} />}
          onClick={confirmDeactivate}
          loading={deactivate.isPending}
        >
          Deactivate
        </Button>
      ) : (
        <Button
          variant="light"
          color="teal"
          leftSection={<IconPlayerPlay size={16} />}
          loading={activate.isPending}
          onClick={() =>
            void mutateThen(activate, org.id, {
              onSuccess: (done) =>
                notifications.show({ color: 'teal', title: 'Activated', message: `${done.name} is active.` }),
              onError: failed('Could not activate'),
            })
          }
        >
          Activate
        </Button>
      )}
      {allows(user, 'orgs.delete') && (
        <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={openDelete}>
          Delete
        </Button>
      )}
      {deleting && <DeleteOrgModal org={org} onClose={closeDelete} />}
    </>
  );
}

import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { useDeleteOrg } from './queries';
import { restorableUntil } from './restorable-until';

/** Mounted while open, so each opening starts with an empty confirmation. */
export function DeleteOrgModal({ org, onClose }: { org: Org; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const remove = useDeleteOrg();
  const matches = typed === org.name;

  return (
    <Modal opened onClose={onClose} title={`Delete ${org.name}?`} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!matches) return;
          void mutateThen(
            remove,
            { id: org.id, confirmName: typed },
            {
              onSuccess: (deleted) => {
                notifications.show({
                  color: 'teal',
                  title: `${deleted.name} deleted`,
                  message: `It can be restored until ${restorableUntil(deleted)}.`,
                });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">
            Its users lose access at once. You can restore it with everything it had for 30 days; after that
            it is purged for good. An organization with agents assigned cannot be deleted.
          </Text>
          {remove.isError && (
            <Alert color="red" variant="light" role="alert" title="Not deleted">
              {errorMessage(remove.error)}
            </Alert>
          )}
          <TextInput
            label={`Type ${org.name} to confirm`}
            data-autofocus
            autoComplete="off"
            value={typed}
            onChange={(event) => {
              setTyped(event.currentTarget.value);
              remove.reset();
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!matches} loading={remove.isPending}>
              Delete organization
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { Org } from '../../../../shared/contract/orgs';
import { restorableUntil } from './restorable-until';

export function DeletedOrgBanner({
  org,
  onRestore,
  restoring,
}: {
  org: Org;
  /** Absent for those who may not restore (only owners may). */
  onRestore?: () => void;
  restoring: boolean;
}) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconTrash />}
      title={`Deleted — restorable until ${restorableUntil(org)}`}
    >
      <Text size="sm">
        Its users cannot sign in and its details cannot be edited. Restoring brings it back with everything it
        had.
      </Text>
      {onRestore ? (
        <Button mt="sm" size="xs" color="red" variant="filled" onClick={onRestore} loading={restoring}>
          Restore
        </Button>
      ) : (
        <Text size="sm" mt="xs" c="dimmed">
          Only an owner can restore it.
        </Text>
      )}
    </Alert>
  );
}

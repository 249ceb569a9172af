import { Alert, Button, Group, Skeleton, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { formatCount } from '../../../../shared/domain/counts';
import { errorMessage } from '../../api/client';
import { useAuditVerify } from './queries';

/** Whether the hash chain over the whole trail holds, or the first entry where it breaks. */
export function ChainStatus() {
  const verify = useAuditVerify(true);

  if (verify.isPending) return <Skeleton h={22} w={320} aria-label="Checking the hash chain" />;
  if (verify.isError) {
    return (
      <Group gap="xs">
        <Text size="sm" c="red">
          Could not check the hash chain: {errorMessage(verify.error)}
        </Text>
        <Button size="compact-xs" variant="light" color="red" onClick={() => void verify.refetch()}>
          Try again
        </Button>
      </Group>
    );
  }
  const { intact, entries, firstBroken } = verify.data;
  if (intact) {
    return (
      <Group gap={6} c="teal">
        <IconShieldCheck size={18} aria-hidden />
        <Text size="sm">
          Hash chain intact: all {formatCount(entries)} entries are as they were recorded.
        </Text>
      </Group>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconShieldX />} title="The audit trail was changed">
      Entry {firstBroken?.id} fails the hash chain: {firstBroken?.reason}. Someone edited, removed or
      reordered entries outside Orgdeck, so from there on the trail cannot be trusted as recorded. Keep a copy
      of the data directory for investigation;{' '}
      <Text span ff="monospace" size="sm">
        orgdeck doctor
      </Text>{' '}
      says more.
    </Alert>
  );
}

import {
  Badge,
  Button,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDatabase } from '@tabler/icons-react';
import { useState } from 'react';
import type { Backup } from '../../../../shared/contract/backups';
import { allows } from '../../../../shared/domain/permissions';
import { errorMessage } from '../../api/client';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { mutateThen } from '../../ui/mutate-then';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { formatLocal, LocalTime } from '../../ui/time';
import { useCurrentSession } from '../session/queries';
import { formatSize, KIND_LABELS } from './backup-labels';
import { useBackups, useCreateBackup } from './backup-queries';
import { RestoreBackupModal } from './RestoreBackupModal';

const KIND_COLORS: Record<Backup['kind'], string> = {
  automatic: 'blue',
  manual: 'teal',
  'before-restore': 'orange',
};

export function BackupsSection() {
  const backups = useBackups();
  const create = useCreateBackup();
  const user = useCurrentSession().data?.user;
  const mayRestore = !!user && allows(user, 'backups.restore');
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const { sort, onSort } = useTableSort(
    'sort',
    ['made', 'kind', 'size'] as const,
    { column: 'made', direction: 'desc' },
    (column) => (column === 'kind' ? 'asc' : 'desc'),
  );
  const th = { sort, onSort };

  const backUpNow = () =>
    void mutateThen(create, undefined, {
      onSuccess: (made) =>
        notifications.show({
          color: 'teal',
          title: 'Backed up',
          message: `${made.name} (${formatSize(made.sizeBytes)}).`,
        }),
      onError: (error) =>
        notifications.show({ color: 'red', title: 'No backup made', message: errorMessage(error) }),
    });

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="backups-title">
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4} id="backups-title">
              Backups
            </Title>
            <Text size="sm" c="dimmed">
              Orgdeck backs up the store once a day and keeps the last 7 daily and 4 weekly backups. Backups
              made here are kept.
            </Text>
          </div>
          <Button onClick={backUpNow} loading={create.isPending} style={{ flexShrink: 0 }}>
            Back up now
          </Button>
        </Group>
        {backups.isPending ? (
          <Skeleton h={160} aria-busy="true" aria-label="Loading backups" />
        ) : backups.isError ? (
          <ErrorState
            title="Could not list the backups"
            error={backups.error}
            onRetry={() => void backups.refetch()}
          />
        ) : backups.data.items.length === 0 ? (
          <EmptyState icon={<IconDatabase />} title="No backups yet">
            <EmptyHint>The first daily backup is made when the app starts; or back up now.</EmptyHint>
          </EmptyState>
        ) : (
          <DataTable minWidth={520} verticalSpacing="xs" aria-label="Backups">
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="made" label="Made" {...th} />
                <SortableTh column="kind" label="Kind" {...th} />
                <SortableTh column="size" label="Size" numeric {...th} />
                {mayRestore && (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sortRows(backups.data.items, sort, {
                made: (backup) => backup.createdAt,
                kind: (backup) => KIND_LABELS[backup.kind],
                size: (backup) => backup.sizeBytes,
              }).map((backup) => (
                <Table.Tr key={backup.name}>
                  <Table.Td>
                    <LocalTime iso={backup.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={KIND_COLORS[backup.kind]}>
                      {KIND_LABELS[backup.kind]}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{formatSize(backup.sizeBytes)}</Text>
                  </Table.Td>
                  {mayRestore && (
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => setRestoring(backup)}
                        aria-label={`Restore the backup of ${formatLocal(backup.createdAt)}`}
                      >
                        Restore…
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
        )}
        {!mayRestore && (
          <Text size="xs" c="dimmed">
            Only the owner can restore a backup.
          </Text>
        )}
      </Stack>
      {restoring && <RestoreBackupModal backup={restoring} onClose={() => setRestoring(null)} />}
    </Paper>
  );
}

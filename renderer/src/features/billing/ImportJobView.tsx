import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconCircleCheck } from '@tabler/icons-react';
import type { ImportJob } from '../../../../shared/contract/billing';
import { BUCKET_FORMATS } from '../../../../shared/domain/usage-identity';
import { kb } from '../../ui/bytes';
import { formatCount } from '../../ui/format';
import { NUMERIC } from './figures';
import { useUndoImport } from './queries';
import { UnmatchedIdentities } from './UnmatchedIdentities';

export const FORMAT_LABELS: Record<ImportJob['format'], string> = {
  orgdeck: 'Orgdeck usage records',
  openai: 'OpenAI usage export',
  anthropic: 'Anthropic usage report',
  litellm: 'LiteLLM spend logs',
};

export const JOB_STATUS: Record<ImportJob['status'], { color: string; label: string }> = {
  running: { color: 'blue', label: 'Running' },
  done: { color: 'teal', label: 'Done' },
  failed: { color: 'red', label: 'Failed' },
  interrupted: { color: 'orange', label: 'Interrupted' },
};

function Counter({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="xl" fw={700} c={color} style={NUMERIC}>
        {formatCount(value)}
      </Text>
    </div>
  );
}

const undoneAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Undo, once the import has stopped: asks first, as every report it fed changes. */
function UndoImportButton({ job }: { job: ImportJob }) {
  const undo = useUndoImport();
  const confirm = () =>
    modals.openConfirmModal({
      title: `Undo the import of ${job.fileName}?`,
      centered: true,
      children: (
        <Text size="sm">
          Its {formatCount(job.imported)} imported rows leave every month they were added to, and the margins
          reports change accordingly. Importing the file again later counts them again.
          {BUCKET_FORMATS.has(job.format) &&
            ' Where this export replaced the counts of an earlier one, those counts are back.'}
        </Text>
      ),
      labels: { confirm: 'Undo import', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      // Not mutate's own callbacks: this button goes once the job shows as undone, and they would not run.
      onConfirm: () =>
        undo.mutateAsync(job.id).then(
          () => notifications.show({ color: 'teal', message: `The import of ${job.fileName} was undone.` }),
          (error: Error) =>
            notifications.show({ color: 'red', title: 'Could not undo the import', message: error.message }),
        ),
    });
  return (
    <Button
      variant="default"
      size="xs"
      color="red"
      leftSection={<IconArrowBackUp size={14} />}
      loading={undo.isPending}
      onClick={confirm}
    >
      Undo import
    </Button>
  );
}

/** An import job's progress bar and counters; at its end the result and the bad rows. */
export function ImportJobView({ job }: { job: ImportJob }) {
  const share =
    job.bytesTotal > 0
      ? Math.min(100, (job.bytesDone / job.bytesTotal) * 100)
      : job.status === 'done'
        ? 100
        : 0;
  const running = job.status === 'running';
  const status = JOB_STATUS[job.status];
  const unmatchedRows = job.unmatched.reduce((sum, identity) => sum + identity.rows, 0);
  return (
    <Paper withBorder p="md" role="region" aria-label="Import job">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>{job.fileName}</Text>
            <Badge color={status.color} variant="light">
              {status.label}
            </Badge>
            {job.undoneAt && (
              <Badge color="gray" variant="light">
                Undone
              </Badge>
            )}
            <Badge color="gray" variant="outline" title="What the file held">
              {FORMAT_LABELS[job.format]}
            </Badge>
          </Group>
          <Group gap="sm">
            <Text size="sm" c="dimmed" style={NUMERIC}>
              {kb(job.bytesDone)} of {kb(job.bytesTotal)} · {Math.floor(share)}%
            </Text>
            {!running && !job.undoneAt && <UndoImportButton job={job} />}
          </Group>
        </Group>
        {job.undoneAt && (
          <Alert color="gray" icon={<IconArrowBackUp />} title="Import undone">
            Undone on {undoneAt.format(new Date(job.undoneAt))}: its rows are no longer in any report. Import
            the file again to count them again.
          </Alert>
        )}
        <Progress
          value={share}
          size="lg"
          striped={running}
          animated={running}
          color={job.status === 'failed' ? 'red' : job.status === 'interrupted' ? 'orange' : 'indigo'}
          aria-label="Import progress"
        />
        <SimpleGrid cols={4}>
          <Counter label="Rows read" value={job.rowsRead} />
          <Counter label="Imported" value={job.imported} color="teal" />
          <Counter label="Already there" value={job.skipped} />
          <Counter label="Bad rows" value={job.bad} color={job.bad > 0 ? 'red' : undefined} />
        </SimpleGrid>
        {job.status === 'done' && !job.undoneAt && (
          <Alert
            color={job.bad > 0 || unmatchedRows > 0 ? 'yellow' : 'teal'}
            icon={job.bad > 0 || unmatchedRows > 0 ? <IconAlertTriangle /> : <IconCircleCheck />}
            title="Import finished"
          >
            {formatCount(job.imported)} imported, {formatCount(job.skipped)} already there (skipped),{' '}
            {formatCount(job.bad)} bad.
            {job.bad > 0 &&
              ' Bad rows were left out; fix them and import the file again — rows already in are skipped.'}
            {unmatchedRows > 0 &&
              ` ${formatCount(unmatchedRows)} rows name no agent yet and were left out: map their identities below.`}
          </Alert>
        )}
        {job.status === 'failed' && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Import failed">
            {job.error ?? 'The import stopped.'} Rows imported before it stopped are kept.
          </Alert>
        )}
        {job.status === 'interrupted' && (
          <Alert color="orange" icon={<IconAlertTriangle />} title="Import interrupted">
            The console stopped during this import. Import the file again: rows already in are skipped.
          </Alert>
        )}
        {job.unmatched.length > 0 && <UnmatchedIdentities unmatched={job.unmatched} />}
        {job.badRows.length > 0 && (
          <div>
            <Text size="sm" fw={600} mb={4}>
              Bad rows
              {job.bad > job.badRows.length && (
                <Text span c="dimmed" size="sm">
                  {' '}
                  (the first {job.badRows.length} of {job.bad})
                </Text>
              )}
            </Text>
            <Table verticalSpacing={4} aria-label="Bad rows" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={90} ta="right">
                    Line
                  </Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {job.badRows.map((row) => (
                  <Table.Tr key={row.line}>
                    <Table.Td ta="right" style={NUMERIC}>
                      {row.line}
                    </Table.Td>
                    <Table.Td>{row.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Stack>
    </Paper>
  );
}

import { Alert, Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { ImportJob } from '../../../../shared/contract/billing';
import { kb } from '../../ui/bytes';
import { formatCount } from '../../ui/format';
import { NUMERIC } from './figures';

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
  return (
    <Paper withBorder p="md" role="region" aria-label="Import job">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>{job.fileName}</Text>
            <Badge color={status.color} variant="light">
              {status.label}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" style={NUMERIC}>
            {kb(job.bytesDone)} of {kb(job.bytesTotal)} · {Math.floor(share)}%
          </Text>
        </Group>
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
        {job.status === 'done' && (
          <Alert
            color={job.bad > 0 ? 'yellow' : 'teal'}
            icon={job.bad > 0 ? <IconAlertTriangle /> : <IconCircleCheck />}
            title="Import finished"
          >
            {formatCount(job.imported)} imported, {formatCount(job.skipped)} already there (skipped),{' '}
            {formatCount(job.bad)} bad.
            {job.bad > 0 &&
              ' Bad rows were left out; fix them and import the file again — rows already in are skipped.'}
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

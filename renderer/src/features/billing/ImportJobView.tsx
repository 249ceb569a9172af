import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconCircleCheck, IconLink, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { ImportJob } from '../../../../shared/contract/billing';
import { formatCount, plural } from '../../../../shared/domain/counts';
import { allows } from '../../../../shared/domain/permissions';
import { BUCKET_FORMATS, HANDLE_ALIAS } from '../../../../shared/domain/usage-identity';
import { kb } from '../../ui/bytes';
import { mutateThen } from '../../ui/mutate-then';
import { formatLocal } from '../../ui/time';
import { CreateAgentModal } from '../agents/CreateAgentModal';
import { MapIdentityModal } from '../agents/MapIdentityModal';
import { useCurrentSession } from '../session/queries';
import { NUMERIC } from './figures';
import { useUndoImport } from './queries';
import { UnmatchedIdentities } from './UnmatchedIdentities';

export const FORMAT_LABELS: Record<ImportJob['format'], string> = {
  orgdeck: 'Orgdeck usage records',
  openai: 'OpenAI usage export',
  anthropic: 'Anthropic usage report',
  litellm: 'LiteLLM spend logs',
};

const JOB_STATUS: Record<ImportJob['status'], { color: string; label: string }> = {
  running: { color: 'blue', label: 'Running' },
  done: { color: 'teal', label: 'Done' },
  failed: { color: 'red', label: 'Failed' },
  interrupted: { color: 'orange', label: 'Interrupted' },
};

/** A job's status badge: a finished import that left every row out is not shown as done. */
export function jobStatus(job: ImportJob): { color: string; label: string } {
  if (job.status === 'done' && job.imported === 0 && (job.bad > 0 || job.unmatched.length > 0))
    return { color: 'red', label: 'Nothing imported' };
  return JOB_STATUS[job.status];
}

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
      // This button goes once the job shows as undone: the notification must not go with it.
      onConfirm: () =>
        void mutateThen(undo, job.id, {
          onSuccess: () =>
            notifications.show({ color: 'teal', message: `The import of ${job.fileName} was undone.` }),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'Could not undo the import', message: error.message }),
        }),
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

type Problem = ImportJob['problems'][number];

/**
 * The bad rows grouped by what is wrong ("25 rows: no agent with the handle …"), each with what to
 * do about it. A handle no agent has is one agent to create, or an old handle to map to an agent
 * that exists; then the file is imported again.
 */
function ImportProblems({ problems }: { problems: Problem[] }) {
  const [creating, setCreating] = useState<string | null>(null);
  const [mapping, setMapping] = useState<string | null>(null);
  const user = useCurrentSession().data?.user;
  const canCreate = !!user && allows(user, 'agents.manage');
  // An alias decides whose cost the rows are: money, as for provider identities.
  const canMap = !!user && allows(user, 'billing.manage');
  return (
    <div>
      <Text size="sm" fw={600}>
        Problems
      </Text>
      <Text size="sm" c="dimmed" mb={4}>
        Rows with a problem were left out. Put each right (create the agent a row names, map its handle to an
        agent, or fix the file), then import the file again: rows already in are skipped.
      </Text>
      <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Problems">
        {problems.map((problem) => (
          <Group component="li" key={problem.reason} justify="space-between" wrap="nowrap" gap="sm">
            <Text size="sm">
              <Text span fw={600} style={NUMERIC}>
                {plural(problem.rows, 'row')}:
              </Text>{' '}
              {problem.reason}
            </Text>
            {problem.agent !== null && (canCreate || canMap) && (
              <Group gap="xs" wrap="nowrap">
                {canCreate && (
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() => setCreating(problem.agent)}
                    aria-label={`Create agent ${problem.agent}`}
                  >
                    Create agent
                  </Button>
                )}
                {canMap && (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconLink size={14} />}
                    onClick={() => setMapping(problem.agent)}
                    aria-label={`Map ${problem.agent} to an agent`}
                  >
                    Map to an agent
                  </Button>
                )}
              </Group>
            )}
          </Group>
        ))}
      </Stack>
      {creating !== null && <CreateAgentModal initialHandle={creating} onClose={() => setCreating(null)} />}
      {mapping !== null && (
        <MapIdentityModal identity={{ ...HANDLE_ALIAS, value: mapping }} onClose={() => setMapping(null)} />
      )}
    </div>
  );
}

/** How a finished import's result reads: an import that brought nothing in is not a success. */
function finishedAs(job: ImportJob, unmatchedRows: number) {
  const troubled = job.bad > 0 || unmatchedRows > 0;
  if (job.imported > 0)
    return { color: troubled ? 'yellow' : 'teal', title: 'Import finished', ok: !troubled };
  if (troubled) return { color: 'red', title: 'Nothing imported', ok: false };
  return { color: 'gray', title: 'Nothing new', ok: true };
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
  const status = jobStatus(job);
  const unmatchedRows = job.unmatched.reduce((sum, identity) => sum + identity.rows, 0);
  const finished = job.status === 'done' ? finishedAs(job, unmatchedRows) : null;
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
            {job.undoing && (
              <Badge color="gray" variant="light" title="Its rows are leaving the reports, a day at a time">
                Undoing…
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
            {!running && !job.undoneAt && !job.undoing && <UndoImportButton job={job} />}
          </Group>
        </Group>
        {job.undoneAt && (
          <Alert color="gray" icon={<IconArrowBackUp />} title="Import undone">
            Undone on {formatLocal(job.undoneAt)}: its rows are no longer in any report. Import the file again
            to count them again.
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
          <Counter label="Imported" value={job.imported} color={job.imported > 0 ? 'teal' : undefined} />
          <Counter label="Already there" value={job.skipped} />
          <Counter label="Bad rows" value={job.bad} color={job.bad > 0 ? 'red' : undefined} />
        </SimpleGrid>
        {job.status === 'done' && !job.undoneAt && finished && (
          <Alert
            color={finished.color}
            icon={finished.ok ? <IconCircleCheck /> : <IconAlertTriangle />}
            title={finished.title}
          >
            {job.imported === 0 && job.skipped > 0 && job.bad === 0 && unmatchedRows === 0
              ? `Every row was already there: ${plural(job.skipped, 'row')} skipped.`
              : `${formatCount(job.imported)} imported, ${formatCount(job.skipped)} already there (skipped), ${formatCount(job.bad)} bad.`}
            {job.bad > 0 && ' Rows with a problem were left out: see what to do below.'}
            {unmatchedRows > 0 &&
              (unmatchedRows === 1
                ? ' 1 row names no agent yet and was left out: map its identity below.'
                : ` ${formatCount(unmatchedRows)} rows name no agent yet and were left out: map their identities below.`)}
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
        {job.problems.length > 0 && <ImportProblems problems={job.problems} />}
        {job.badRows.length > 0 && (
          <details>
            <Text component="summary" size="sm" fw={600} mb={4} style={{ cursor: 'pointer' }}>
              Bad rows by line
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
          </details>
        )}
      </Stack>
    </Paper>
  );
}

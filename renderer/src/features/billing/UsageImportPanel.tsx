import {
  Alert,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { kb } from '../../ui/bytes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { NUMERIC } from './figures';
import { ImportJobView, jobStatus } from './ImportJobView';
import { billingKeys, useJob, useJobs } from './queries';

const startedAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Upload a usage file in chunks, import it in the background, and watch the job. */
export function UsageImportPanel() {
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState<{ done: number; total: number } | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const jobs = useJobs();
  const client = useQueryClient();

  const run = useMutation({
    mutationFn: async (picked: File) => {
      setJobId(null);
      const uploadId = await uploadFile(picked, 'usage', (done, total) => setSent({ done, total }));
      return call('usage.import', { uploadId });
    },
    onSuccess: (started) => {
      setJobId(started.id);
      setFile(null);
      void client.invalidateQueries({ queryKey: billingKeys.jobs() });
    },
  });

  const uploading = run.isPending && sent !== null;
  const uploadShare = sent && sent.total > 0 ? (sent.done / sent.total) * 100 : 0;

  return (
    <Stack gap="lg">
      <Paper withBorder p="lg">
        <Stack gap="sm">
          <div>
            <Title order={3}>Import usage</Title>
            <Text size="sm" c="dimmed">
              A CSV with a header row <Code>timestamp,agent,model,input_tokens,output_tokens</Code> (and an
              optional <Code>id</Code>), or JSON Lines with the same fields. <Code>agent</Code> is the agent's
              handle; timestamps are ISO 8601 with a time zone. Importing a file again skips what is already
              in. Providers' exports are read too: OpenAI's completions usage, Anthropic's usage report and
              LiteLLM's spend logs, found by their content; their keys and projects count as the agents their
              usage identities name, and a re-downloaded export replaces the days it held.
            </Text>
          </div>
          <Group align="flex-end">
            <FileInput
              label="Usage file"
              placeholder="Pick a .csv, .jsonl or .json file"
              accept=".csv,.jsonl,.ndjson,.json,text/csv,application/x-ndjson"
              leftSection={<IconFileSpreadsheet size={16} />}
              value={file}
              onChange={(picked) => {
                setFile(picked);
                run.reset();
                setSent(null);
              }}
              clearable
              w={420}
              maw="100%"
              disabled={run.isPending}
            />
            <Button
              leftSection={<IconUpload size={16} />}
              disabled={!file || file.size === 0}
              loading={run.isPending}
              onClick={() => file && run.mutate(file)}
            >
              Import
            </Button>
          </Group>
          {file && file.size === 0 && (
            <Text size="sm" c="red">
              The file is empty.
            </Text>
          )}
          {sent && (run.isPending || run.isSuccess) && (
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm">{uploading ? 'Uploading…' : 'Uploaded'}</Text>
                <Text size="sm" c="dimmed" style={NUMERIC}>
                  {kb(sent.done)} of {kb(sent.total)}
                </Text>
              </Group>
              <Progress value={uploadShare} size="md" color="gray" aria-label="Upload progress" />
            </Stack>
          )}
          {run.isError && (
            <Alert color="red" icon={<IconAlertTriangle />} title="Could not import the file">
              {errorMessage(run.error)}
            </Alert>
          )}
        </Stack>
      </Paper>
      {job.data && <ImportJobView job={job.data} />}
      <Paper withBorder p={0}>
        <div style={{ padding: 'var(--mantine-spacing-md) var(--mantine-spacing-md) 0' }}>
          <Title order={4}>Recent imports</Title>
          <Text size="sm" c="dimmed">
            Click an import to see its result, or to undo it.
          </Text>
        </div>
        {jobs.data && jobs.data.length === 0 ? (
          <EmptyState icon={<IconFileSpreadsheet size={24} />} title="No imports yet">
            <EmptyHint>Imports from this screen and from the command line show here.</EmptyHint>
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" highlightOnHover aria-label="Recent imports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Started</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Rows</Table.Th>
                  <Table.Th ta="right">Imported</Table.Th>
                  <Table.Th ta="right">Skipped</Table.Th>
                  <Table.Th ta="right">Bad</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(jobs.data ?? []).map((row) => (
                  <Table.Tr
                    key={row.id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => setJobId(row.id)}
                    aria-selected={row.id === jobId}
                    bg={row.id === jobId ? 'var(--mantine-primary-color-light)' : undefined}
                  >
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {row.fileName}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {startedAt.format(new Date(row.startedAt))}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Badge size="sm" variant="light" color={jobStatus(row).color}>
                          {jobStatus(row).label}
                        </Badge>
                        {row.undoneAt && (
                          <Badge size="sm" variant="light" color="gray">
                            Undone
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" style={NUMERIC}>
                      {row.rowsRead}
                    </Table.Td>
                    <Table.Td ta="right" style={NUMERIC}>
                      {row.imported}
                    </Table.Td>
                    <Table.Td ta="right" style={NUMERIC}>
                      {row.skipped}
                    </Table.Td>
                    <Table.Td ta="right" style={NUMERIC} c={row.bad > 0 ? 'red' : undefined}>
                      {row.bad}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}

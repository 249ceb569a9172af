import { Alert, Button, Code, FileInput, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { kb } from '../../ui/bytes';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { NUMERIC } from './figures';
import { ImportJobView } from './ImportJobView';
import { billingKeys, useJob, useJobs } from './queries';
import { RecentImportsTable } from './RecentImportsTable';

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
          <RecentImportsTable jobs={jobs.data ?? []} selected={jobId} onOpen={setJobId} />
        )}
      </Paper>
    </Stack>
  );
}

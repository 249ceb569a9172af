import { Alert, Badge, Button, FileInput, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { AGENT_IMPORT_COLUMNS } from '../../../../shared/domain/agent-import-columns';
import { plural } from '../../../../shared/domain/counts';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { useImportAgents } from './queries';

type Checked = ChannelOutput<'agents.import'>;
type CheckedRow = Checked['rows'][number];

const COLUMNS = ['line', 'name', 'email', 'model', 'org', 'rate', 'check'] as const;
const VALUES = {
  line: (row: CheckedRow) => row.line,
  name: (row: CheckedRow) => row.name,
  email: (row: CheckedRow) => row.email,
  model: (row: CheckedRow) => row.model,
  org: (row: CheckedRow) => row.org,
  // The rate as typed: empty (the org's rate) or not an amount sorts last.
  rate: (row: CheckedRow) => exactAmount(row.rate),
  // Rows with problems first, by how many.
  check: (row: CheckedRow) => -row.problems.length,
};

/** The file's rows as the server checked them: each with its line and its problems. */
function PreviewTable({ checked }: { checked: Checked }) {
  const { sort, onSort } = useTableSort('preview', COLUMNS, { column: 'line', direction: 'asc' });
  const th = { sort, onSort };
  return (
    <ScrollArea.Autosize mah={360}>
      <Table verticalSpacing={4} fz="sm" aria-label="Agents to import" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="line" label="Line" {...th} />
            <SortableTh column="name" label="Name" hint="handle" {...th} />
            <SortableTh column="email" label="Email" {...th} />
            <SortableTh column="model" label="Model" {...th} />
            <SortableTh column="org" label="Organization" {...th} />
            <SortableTh column="rate" label="Rate" numeric {...th} />
            <SortableTh column="check" label="Check" {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(checked.rows, sort, VALUES).map((row) => {
            const bad = row.problems.length > 0;
            return (
              <Table.Tr key={row.line} bg={bad ? 'var(--mantine-color-red-light)' : undefined}>
                <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{row.line}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {row.name || '—'}
                  </Text>
                  <Text size="xs" ff="monospace" c="dimmed">
                    {row.handle || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>{row.email || '—'}</Table.Td>
                <Table.Td>{row.model || '—'}</Table.Td>
                <Table.Td>{row.org || 'Unassigned'}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {row.rate ? `$${row.rate}` : 'org rate'}
                </Table.Td>
                <Table.Td>
                  {bad ? (
                    // The row's tint marks it; the text keeps the body colour, readable on the tint in both schemes.
                    <Group gap={4} wrap="nowrap" align="flex-start">
                      <IconAlertTriangle
                        size={14}
                        aria-label="Problem"
                        style={{ flexShrink: 0, marginTop: 3 }}
                      />
                      <Text size="sm">{row.problems.join('; ')}</Text>
                    </Group>
                  ) : (
                    <Badge color="teal" variant="light" leftSection={<IconCheck size={12} />}>
                      OK
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

/**
 * Agents from a CSV file: pick it, see every row checked (with its line number), then import them
 * all; a file with any problem imports nothing. Mounted while open.
 */
export function ImportAgentsModal({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const check = useImportAgents();
  const apply = useImportAgents();
  const checked = check.data;
  const bad = checked ? checked.rows.filter((row) => row.problems.length > 0).length : 0;
  const ready = !!checked && checked.problems.length === 0 && bad === 0 && checked.rows.length > 0;

  const pick = async (picked: File | null) => {
    setFile(picked);
    setCsv(null);
    setReadError(null);
    check.reset();
    if (!picked) return;
    const text = await picked.text().catch(() => null);
    if (text === null) return setReadError('The file could not be read.');
    setCsv(text);
    check.mutate({ csv: text, dryRun: true });
  };

  const run = () => {
    if (!csv) return;
    void mutateThen(
      apply,
      { csv, dryRun: false },
      {
        onSuccess: (result) => {
          // Something changed since the check (a handle taken meanwhile): show the rows again.
          if (result.imported === 0) return check.mutate({ csv, dryRun: true });
          notifications.show({
            color: 'teal',
            title: 'Agents imported',
            message: `${plural(result.imported, 'agent')} registered.`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title="Import agents from CSV" size="xl">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          One agent per line, under the header{' '}
          <Text span ff="monospace">
            {AGENT_IMPORT_COLUMNS.join(',')}
          </Text>
          . The org is its slug (empty leaves the agent unassigned); an empty rate bills the org rate. Every
          row is checked first: if any has a problem, nothing is imported.
        </Text>
        <FileInput
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          leftSection={<IconFileTypeCsv size={16} />}
          value={file}
          onChange={(picked) => void pick(picked)}
          clearable
          error={readError}
        />
        {check.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Could not check the file">
            {errorMessage(check.error)}
          </Alert>
        )}
        {checked && checked.problems.length > 0 && (
          <Alert color="red" icon={<IconAlertTriangle />} title="This file cannot be imported">
            {checked.problems.join(' ')}
          </Alert>
        )}
        {checked && checked.rows.length > 0 && (
          <>
            <Group gap="xs" role="group" aria-label="Check result">
              <Badge color="teal" variant="light" size="lg">
                {plural(checked.rows.length - bad, 'row')} ready
              </Badge>
              {bad > 0 && (
                <Badge color="red" variant="light" size="lg">
                  {plural(bad, 'row')} with problems
                </Badge>
              )}
            </Group>
            {bad > 0 && (
              <Alert color="red" icon={<IconAlertTriangle />}>
                Nothing will be imported until every row is fixed. Correct the file and choose it again.
              </Alert>
            )}
            <PreviewTable checked={checked} />
          </>
        )}
        {apply.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Nothing was imported">
            {errorMessage(apply.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!ready} loading={apply.isPending || check.isPending} onClick={run}>
            {ready ? `Import ${plural(checked.rows.length, 'agent')}` : 'Import'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

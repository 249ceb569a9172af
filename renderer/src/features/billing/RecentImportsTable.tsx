import { Badge, Group, Table, Text } from '@mantine/core';
import type { ImportJob } from '../../../../shared/contract/billing';
import { formatCount } from '../../../../shared/domain/counts';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { NUMERIC } from './figures';
import { jobStatus } from './ImportJobView';

const COLUMNS = ['file', 'started', 'status', 'rows', 'imported', 'skipped', 'bad'] as const;
const VALUES = {
  file: (job: ImportJob) => job.fileName,
  started: (job: ImportJob) => job.startedAt,
  status: (job: ImportJob) => jobStatus(job).label,
  rows: (job: ImportJob) => job.rowsRead,
  imported: (job: ImportJob) => job.imported,
  skipped: (job: ImportJob) => job.skipped,
  bad: (job: ImportJob) => job.bad,
};
const TEXT_COLUMNS: readonly string[] = ['file', 'status'];

/** The latest usage imports, newest first unless sorted; a click opens one's result. */
export function RecentImportsTable({
  jobs,
  selected,
  onOpen,
}: {
  jobs: ImportJob[];
  selected: string | null;
  onOpen: (id: string) => void;
}) {
  const { sort, onSort } = useTableSort(
    'imports',
    COLUMNS,
    { column: 'started', direction: 'desc' },
    (column) => (TEXT_COLUMNS.includes(column) ? 'asc' : 'desc'),
  );
  const th = { sort, onSort };
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" highlightOnHover aria-label="Recent imports">
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="file" label="File" {...th} />
            <SortableTh column="started" label="Started" {...th} />
            <SortableTh column="status" label="Status" {...th} />
            <SortableTh column="rows" label="Rows" numeric {...th} />
            <SortableTh column="imported" label="Imported" numeric {...th} />
            <SortableTh column="skipped" label="Skipped" numeric {...th} />
            <SortableTh column="bad" label="Bad" numeric {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(jobs, sort, VALUES).map((row) => (
            <Table.Tr
              key={row.id}
              style={{ cursor: 'pointer' }}
              onClick={() => onOpen(row.id)}
              aria-selected={row.id === selected}
              bg={row.id === selected ? 'var(--mantine-primary-color-light)' : undefined}
            >
              <Table.Td>
                <Text size="sm" fw={500}>
                  {row.fileName}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <LocalTime iso={row.startedAt} />
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
                  {row.undoing && (
                    <Badge size="sm" variant="light" color="gray">
                      Undoing…
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td ta="right" style={NUMERIC}>
                {formatCount(row.rowsRead)}
              </Table.Td>
              <Table.Td ta="right" style={NUMERIC}>
                {formatCount(row.imported)}
              </Table.Td>
              <Table.Td ta="right" style={NUMERIC}>
                {formatCount(row.skipped)}
              </Table.Td>
              <Table.Td ta="right" style={NUMERIC} c={row.bad > 0 ? 'red' : undefined}>
                {formatCount(row.bad)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

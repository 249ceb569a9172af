import { Anchor, Badge, Table, Text } from '@mantine/core';
import type { Assignment } from '../../../../shared/contract/agents';
import { paths } from '../../app/routes';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';

const COLUMNS = ['org', 'from', 'to'] as const;
const VALUES = {
  org: (interval: Assignment) => interval.org.name,
  from: (interval: Assignment) => Date.parse(interval.from),
  // The open stay runs until now: later than any that ended.
  to: (interval: Assignment) => (interval.to ? Date.parse(interval.to) : Number.POSITIVE_INFINITY),
};

/**
 * Where an agent was, oldest first unless sorted: one row per interval, the open one ending "now".
 * The server sends only the stays in orgs this session may see.
 */
export function AgentHistory({ history }: { history: Assignment[] }) {
  const { sort, onSort } = useTableSort('history', COLUMNS, { column: 'from', direction: 'asc' }, (column) =>
    column === 'org' ? 'asc' : 'desc',
  );
  const th = { sort, onSort };
  if (history.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Never assigned to an organization.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={460} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table aria-label="Assignment history" verticalSpacing={6} fz="sm" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="org" label="Organization" {...th} />
            <SortableTh column="from" label="From" {...th} />
            <SortableTh column="to" label="To" {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(history, sort, VALUES).map((interval) => (
            <Table.Tr key={`${interval.org.id}:${interval.from}`}>
              <Table.Td>
                <Anchor href={`#${paths.org(interval.org.slug, 'agents')}`} size="sm">
                  {interval.org.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <LocalTime iso={interval.from} />
              </Table.Td>
              <Table.Td>
                {interval.to ? (
                  <LocalTime iso={interval.to} />
                ) : (
                  <Badge variant="light" color="teal" size="sm">
                    now
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { ActionIcon, Code, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { AuditSort } from '../../../../shared/domain/audit-sort';
import { DataTable, type Sort, SortableTh } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { AuditSummary } from './AuditSummary';
import { nameInSummary } from './summary-fields';

export interface OrgLabel {
  name: string;
  slug: string;
  timezone: string;
}

/** A uuid's first block tells rows apart; the tooltip has the whole id. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function Target({ entry, orgs }: { entry: AuditEntry; orgs: ReadonlyMap<string, OrgLabel> }) {
  const { type, id } = entry.target;
  const name = type === 'org' ? orgs.get(id)?.name : nameInSummary(entry.summary);
  return (
    <Text size="sm" title={`${type} ${id}`}>
      <Text span c="dimmed" size="sm">
        {type}
      </Text>{' '}
      {name ?? (
        <Text span ff="monospace" size="xs">
          {UUID.test(id) ? id.slice(0, 8) : id}
        </Text>
      )}
    </Text>
  );
}

/**
 * Entries as listed (the server sorts and pages), each with its before/after summary a click away.
 * Every time is on the viewer's clock, so the list reads in order; the entry's org's local time is
 * in the tooltip. The target is not sortable: its name lives in each entry's summary.
 */
export function AuditTable({
  entries,
  orgs,
  sort,
  onSort,
}: {
  entries: AuditEntry[];
  orgs: ReadonlyMap<string, OrgLabel>;
  sort: Sort<AuditSort>;
  onSort: (column: AuditSort) => void;
}) {
  const th = { sort, onSort };
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <DataTable minWidth={880} aria-label="Audit entries" verticalSpacing="xs" fz="sm" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={44} aria-label="Details" />
          <SortableTh column="time" label="When" {...th} />
          <SortableTh column="actor" label="Actor" {...th} />
          <SortableTh column="org" label="Organization" {...th} />
          <SortableTh column="action" label="Action" {...th} />
          <Table.Th>Target</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((entry) => {
          const expanded = open.has(entry.id);
          const org = entry.orgId ? orgs.get(entry.orgId) : undefined;
          return (
            <Fragment key={entry.id}>
              <Table.Tr>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-expanded={expanded}
                    aria-label={`${expanded ? 'Hide' : 'Show'} what changed in entry ${entry.id}`}
                    onClick={() => toggle(entry.id)}
                  >
                    {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                  </ActionIcon>
                </Table.Td>
                <Table.Td>
                  <LocalTime iso={entry.at} orgZone={org?.timezone} />
                </Table.Td>
                <Table.Td>{entry.actor}</Table.Td>
                <Table.Td>
                  {org ? (
                    org.name
                  ) : (
                    <Text span size="sm" c="dimmed">
                      {entry.orgId ? 'Removed organization' : '—'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code>{entry.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Target entry={entry} orgs={orgs} />
                </Table.Td>
              </Table.Tr>
              {expanded && (
                <Table.Tr>
                  <Table.Td />
                  <Table.Td colSpan={5} pb="md">
                    <AuditSummary summary={entry.summary} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </DataTable>
  );
}

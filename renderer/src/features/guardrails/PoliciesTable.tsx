import { Badge, Table, Text, UnstyledButton } from '@mantine/core';
import type { Policy } from '../../../../shared/contract/policies';
import { DataTable, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { PolicyEnabledSwitch } from './PolicyEnabledSwitch';
import { describeConfig, KINDS } from './policy-kinds';

const COLUMNS = ['name', 'kind', 'enabled', 'version', 'updated'] as const;
const VALUES = {
  name: (policy: Policy) => policy.name,
  kind: (policy: Policy) => KINDS[policy.kind].label,
  enabled: (policy: Policy) => (policy.enabled ? 1 : 0),
  version: (policy: Policy) => policy.version,
  updated: (policy: Policy) => policy.updatedAt,
};
const firstDirection = (column: (typeof COLUMNS)[number]) =>
  ['version', 'updated', 'enabled'].includes(column) ? 'desc' : 'asc';

export function PoliciesTable({
  policies,
  timeZone,
  onOpen,
}: {
  policies: Policy[];
  timeZone: string;
  onOpen: (policy: Policy) => void;
}) {
  const { sort, onSort } = useTableSort(
    'sort',
    COLUMNS,
    { column: 'name', direction: 'asc' },
    firstDirection,
  );
  const th = { sort, onSort };
  return (
    <DataTable minWidth={720} verticalSpacing="sm" highlightOnHover aria-label="Policies" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="name" label="Name" {...th} />
          <SortableTh column="kind" label="Kind" {...th} />
          <SortableTh column="enabled" label="Enabled" {...th} />
          <SortableTh column="version" label="Version" {...th} />
          <SortableTh column="updated" label="Updated" {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(policies, sort, VALUES).map((policy) => (
          <Table.Tr key={policy.id}>
            <Table.Td>
              <UnstyledButton onClick={() => onOpen(policy)} aria-label={`Open ${policy.name}`}>
                <Text size="sm" fw={500}>
                  {policy.name}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {describeConfig(policy.config)}
                </Text>
              </UnstyledButton>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" tt="none">
                {KINDS[policy.kind].label}
              </Badge>
            </Table.Td>
            <Table.Td>
              <PolicyEnabledSwitch policy={policy} />
            </Table.Td>
            <Table.Td>v{policy.version}</Table.Td>
            <Table.Td>
              <LocalTime iso={policy.updatedAt} orgZone={timeZone} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

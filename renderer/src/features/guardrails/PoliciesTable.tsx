import { Badge, Table, Text, UnstyledButton } from '@mantine/core';
import type { Policy } from '../../../../shared/contract/policies';
import { LocalTime } from '../../ui/time';
import { PolicyEnabledSwitch } from './PolicyEnabledSwitch';
import { describeConfig, KINDS } from './policy-kinds';

export function PoliciesTable({
  policies,
  timeZone,
  onOpen,
}: {
  policies: Policy[];
  timeZone: string;
  onOpen: (policy: Policy) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={720} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Policies" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Enabled</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {policies.map((policy) => (
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
      </Table>
    </Table.ScrollContainer>
  );
}

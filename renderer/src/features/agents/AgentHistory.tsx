import { Anchor, Badge, Table, Text } from '@mantine/core';
import type { Assignment } from '../../../../shared/contract/agents';
import { paths } from '../../app/routes';
import { LocalTime } from '../../ui/time';

/**
 * Where an agent was, oldest first: one row per interval, the open one ending "now". The server
 * sends only the stays in orgs this session may see.
 */
export function AgentHistory({ history }: { history: Assignment[] }) {
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
            <Table.Th>Organization</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.map((interval) => (
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

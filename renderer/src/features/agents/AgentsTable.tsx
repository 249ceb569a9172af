import { Anchor, Center, Checkbox, Group, Table, Text, type TextProps, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Agent } from '../../../../shared/contract/agents';
import { paths } from '../../app/routes';
import { LocalTime } from '../../ui/time';
import { AgentStatusBadge } from './AgentStatusBadge';
import type { AgentSort } from './queries';

export interface SortState {
  sort: AgentSort;
  direction: 'asc' | 'desc';
}

function SortableTh({
  column,
  label,
  sort,
  onSort,
  w,
  hint,
}: {
  column: AgentSort;
  label: string;
  /** What else the column shows, not sorted by. */
  hint?: string;
  sort: SortState;
  onSort: (column: AgentSort) => void;
  w?: number;
}) {
  const active = sort.sort === column;
  const Icon = !active ? IconSelector : sort.direction === 'asc' ? IconChevronUp : IconChevronDown;
  return (
    <Table.Th
      w={w}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      p={0}
    >
      <UnstyledButton
        onClick={() => onSort(column)}
        px="sm"
        py={6}
        w="100%"
        title={`Sort by ${label.toLowerCase()}`}
        style={{ fontWeight: 'inherit', fontSize: 'inherit' }}
      >
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <span>
            {label}
            {hint && (
              <Text span inherit c="dimmed" fw={400}>
                {' '}
                / {hint}
              </Text>
            )}
          </span>
          <Center c={active ? undefined : 'dimmed'}>
            <Icon size={14} stroke={1.5} aria-hidden />
          </Center>
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function Dimmed({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
      {children}
    </Text>
  );
}

/** One line, cut with an ellipsis past `maw`; the whole value is in the title. */
function Clipped({ text, ...props }: { text: string } & TextProps) {
  return (
    <Text size="sm" truncate="end" title={text} {...props}>
      {text}
    </Text>
  );
}

/** The agents of one page, with selection; the caller pages, sorts and fetches. */
export function AgentsTable({
  agents,
  sort,
  onSort,
  selected,
  onToggle,
  onTogglePage,
  onOpen,
}: {
  agents: Agent[];
  sort: SortState;
  onSort: (column: AgentSort) => void;
  selected: ReadonlyMap<string, Agent>;
  onToggle: (agent: Agent) => void;
  onTogglePage: (select: boolean) => void;
  onOpen: (agent: Agent) => void;
}) {
  const onPage = agents.filter((agent) => selected.has(agent.id)).length;
  const all = agents.length > 0 && onPage === agents.length;
  const th = { sort, onSort };

  return (
    <Table.ScrollContainer minWidth={880} scrollAreaProps={{ offsetScrollbars: false }}>
      <Table verticalSpacing={6} horizontalSpacing="xs" highlightOnHover aria-label="Agents" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <Checkbox
                aria-label="Select all agents on this page"
                checked={all}
                indeterminate={onPage > 0 && !all}
                onChange={() => onTogglePage(!all)}
              />
            </Table.Th>
            <SortableTh column="name" label="Name" hint="email" {...th} />
            <SortableTh column="handle" label="Handle" {...th} />
            <SortableTh column="model" label="Model" {...th} />
            <SortableTh column="status" label="Status" {...th} />
            <SortableTh column="org" label="Organization" {...th} />
            <Table.Th ta="right">Rate</Table.Th>
            <SortableTh column="updatedAt" label="Updated" {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((agent) => (
            <Table.Tr
              key={agent.id}
              bg={selected.has(agent.id) ? 'var(--mantine-primary-color-light)' : undefined}
              style={{ cursor: 'pointer' }}
              onClick={(event) => {
                // The checkbox and the org link do their own thing.
                if (!(event.target as HTMLElement).closest('a, button, input, label')) onOpen(agent);
              }}
            >
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${agent.name}`}
                  checked={selected.has(agent.id)}
                  onChange={() => onToggle(agent)}
                />
              </Table.Td>
              <Table.Td>
                <Clipped text={agent.name} maw={220} fw={500} />
                {agent.email && <Clipped text={agent.email} maw={220} size="xs" c="dimmed" />}
              </Table.Td>
              <Table.Td>
                <Clipped text={agent.handle} maw={130} ff="monospace" c="dimmed" />
              </Table.Td>
              <Table.Td>
                {agent.model ? <Clipped text={agent.model} maw={130} /> : <Dimmed>—</Dimmed>}
              </Table.Td>
              <Table.Td>
                <AgentStatusBadge status={agent.effectiveStatus} />
              </Table.Td>
              <Table.Td>
                {agent.org ? (
                  <Anchor
                    href={`#${paths.org(agent.org.id, 'agents')}`}
                    size="sm"
                    c="var(--mantine-color-text)"
                    title={agent.org.name}
                    maw={150}
                    truncate="end"
                    display="block"
                  >
                    {agent.org.name}
                  </Anchor>
                ) : (
                  <Dimmed>Unassigned</Dimmed>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {agent.rate !== null ? (
                  <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    ${agent.rate}
                  </Text>
                ) : (
                  <Dimmed>org rate</Dimmed>
                )}
              </Table.Td>
              <Table.Td>
                <LocalTime iso={agent.updatedAt} dateOnly />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { Anchor, Checkbox, Table, Text, type TextProps } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AgentListItem } from '../../../../shared/contract/agents';
import { paths } from '../../app/routes';
import { DataTable, type Sort, SortableTh } from '../../ui/SortableTable';
import { AgentStatusBadge } from './AgentStatusBadge';
import { FigureCells, FigureHeaders, RateTd } from './agent-figures';
import type { AgentSort } from './queries';

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

/**
 * The agents of one page, with selection and, for those who may see money, the month's cost,
 * tokens and margin; the caller pages, sorts (on the server) and fetches.
 */
export function AgentsTable({
  agents,
  sort,
  onSort,
  selected,
  onToggle,
  onTogglePage,
  onOpen,
  threshold,
}: {
  agents: AgentListItem[];
  sort: Sort<AgentSort>;
  onSort: (column: AgentSort) => void;
  selected: ReadonlyMap<string, AgentListItem>;
  onToggle: (agent: AgentListItem) => void;
  onTogglePage: (select: boolean) => void;
  onOpen: (agent: AgentListItem) => void;
  /** The low-margin threshold; null when the list carries no figures. */
  threshold: number | null;
}) {
  const onPage = agents.filter((agent) => selected.has(agent.id)).length;
  const all = agents.length > 0 && onPage === agents.length;
  const th = { sort, onSort };

  return (
    <DataTable minWidth={880} verticalSpacing={6} horizontalSpacing="xs" aria-label="Agents" fz="sm">
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
          <SortableTh column="name" label="Name" hint="handle, email" {...th} />
          <SortableTh column="model" label="Model" {...th} />
          <SortableTh column="status" label="Status" {...th} />
          <SortableTh column="org" label="Organization" {...th} />
          <SortableTh column="rate" label="Rate" numeric {...th} />
          {threshold !== null && <FigureHeaders {...th} />}
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
              <Clipped text={agent.name} maw={180} fw={500} />
              <Clipped text={agent.handle} maw={180} size="xs" ff="monospace" c="dimmed" />
              {agent.email && <Clipped text={agent.email} maw={180} size="xs" c="dimmed" />}
            </Table.Td>
            <Table.Td>{agent.model ? <Clipped text={agent.model} maw={120} /> : <Dimmed>—</Dimmed>}</Table.Td>
            <Table.Td>
              <AgentStatusBadge status={agent.effectiveStatus} />
            </Table.Td>
            <Table.Td>
              {agent.org ? (
                <Anchor
                  href={`#${paths.org(agent.org.slug, 'agents')}`}
                  size="sm"
                  c="var(--mantine-color-text)"
                  display="block"
                >
                  {agent.org.name}
                </Anchor>
              ) : (
                <Dimmed>Unassigned</Dimmed>
              )}
            </Table.Td>
            <RateTd agent={agent} />
            {threshold !== null && <FigureCells agent={agent} threshold={threshold} />}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

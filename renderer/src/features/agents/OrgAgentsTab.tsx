import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconPlus, IconRobot } from '@tabler/icons-react';
import { useState } from 'react';
import type { Agent } from '../../../../shared/contract/agents';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { plural } from '../../../../shared/domain/counts';
import { mayBackdate, seesAllOrgs } from '../../../../shared/domain/permissions';
import { paths } from '../../app/routes';
import { useUrlState } from '../../app/use-url-state';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { Pages } from '../../ui/Pages';
import { DataTable, SortableTh } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { MonthPicker } from '../billing/MonthPicker';
import { useBillingMonth } from '../billing/use-billing-month';
import { AgentDrawer } from './AgentDrawer';
import { AgentStatusBadge } from './AgentStatusBadge';
import { FigureCells, FigureHeaders, RateTd, useAgentSort } from './agent-figures';
import { agentsListInput, seesAgentMoney } from './agent-list-view';
import { AGENTS_PAGE_SIZE, useAgent, useAgents } from './queries';
import { UnassignAgentsModal } from './UnassignAgentsModal';
import { useAssignFlow } from './use-assign-flow';

const agentsIn = (count: number) => plural(count, 'agent');

/** The org detail's Agents tab: who is assigned now, an assign control, and unassign buttons. */
export function OrgAgentsTab({ org, user }: { org: Org; user: SessionUser }) {
  const [params, update] = useUrlState();
  const pageParam = Number(params.get('page'));
  const page = Number.isInteger(pageParam) && pageParam > 1 ? pageParam : 1;
  const setPage = (next: number) => update({ page: next > 1 ? String(next) : null });
  const { sort, onSort } = useAgentSort();
  const money = seesAgentMoney(user);
  const [month, setMonth] = useBillingMonth();
  const list = useAgents(agentsListInput({ org: org.id, sort, page, month: money ? month : undefined }));
  const th = {
    sort,
    onSort: (column: typeof sort.column) => {
      onSort(column);
      setPage(1);
    },
  };
  const [openId, setOpenId] = useState<string | null>(null);
  const [unassigning, setUnassigning] = useState<Agent | null>(null);
  const canAssign = seesAllOrgs(user.role) && org.status === 'active';
  const total = list.data?.total ?? org.agentCount;
  const pages = Math.max(1, Math.ceil(total / AGENTS_PAGE_SIZE));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Text size="sm" aria-live="polite">
          <Text span fw={600}>
            {agentsIn(org.agentCount)}
          </Text>{' '}
          assigned to {org.name} now.{' '}
          <Anchor href={`#${paths.agents()}`} size="sm">
            All agents
          </Anchor>
        </Text>
        <Group gap="sm" align="flex-end">
          {money && <MonthPicker value={month} onChange={setMonth} />}
          {canAssign && <AssignAgentControl org={org} />}
        </Group>
      </Group>
      {org.status === 'inactive' && (
        <Alert variant="light" color="yellow" icon={<IconInfoCircle />}>
          {org.name} is inactive: its agents show as “stopped by org”, and no agent can be assigned to it
          until it is activated.
        </Alert>
      )}
      <Paper withBorder p={0}>
        {list.isPending ? (
          <Stack p="md" gap="sm" aria-busy="true" aria-label="Loading agents">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} h={28} />
            ))}
          </Stack>
        ) : list.isError ? (
          <Stack p="md">
            <ErrorState
              title="Could not load agents"
              error={list.error}
              onRetry={() => void list.refetch()}
            />
          </Stack>
        ) : list.data.items.length === 0 ? (
          <EmptyState icon={<IconRobot size={24} />} title={`No agents in ${org.name}`}>
            <EmptyHint>
              {canAssign
                ? 'Pick an agent above and assign it; an agent in another organization is moved after you confirm.'
                : 'Agents assigned to this organization show here.'}
            </EmptyHint>
          </EmptyState>
        ) : (
          <DataTable minWidth={640} verticalSpacing="sm" aria-label={`Agents of ${org.name}`} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="name" label="Name" hint="handle, email" {...th} />
                <SortableTh column="model" label="Model" {...th} />
                <SortableTh column="status" label="Status" hint="since" {...th} />
                <SortableTh column="rate" label="Rate" numeric {...th} />
                {list.data.lowMarginThreshold !== null && <FigureHeaders {...th} />}
                <Table.Th w={110} aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((agent) => (
                <Table.Tr key={agent.id}>
                  <Table.Td>
                    <UnstyledButton onClick={() => setOpenId(agent.id)} title="Open the agent">
                      <Text size="sm" fw={500}>
                        {agent.name}
                      </Text>
                      <Text size="xs" ff="monospace" c="dimmed">
                        {agent.handle}
                      </Text>
                      {agent.email && (
                        <Text size="xs" c="dimmed">
                          {agent.email}
                        </Text>
                      )}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    {agent.model || (
                      <Text span size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <AgentStatusBadge status={agent.effectiveStatus} />
                    {agent.assignedSince && (
                      <Text size="xs" c="dimmed">
                        since <LocalTime iso={agent.assignedSince} dateOnly />
                      </Text>
                    )}
                  </Table.Td>
                  <RateTd agent={agent} />
                  {list.data.lowMarginThreshold !== null && (
                    <FigureCells agent={agent} threshold={list.data.lowMarginThreshold} />
                  )}
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Unassign ${agent.name}`}
                      onClick={() => setUnassigning(agent)}
                    >
                      Unassign
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </DataTable>
        )}
      </Paper>
      {pages > 1 && (
        <Group justify="flex-end">
          <Pages total={pages} value={Math.min(page, pages)} onChange={setPage} />
        </Group>
      )}
      <AgentDrawer agentId={openId} user={user} onClose={() => setOpenId(null)} />
      {unassigning && (
        <UnassignAgentsModal
          key={unassigning.id}
          agents={[unassigning]}
          onClose={() => setUnassigning(null)}
          canBackdate={mayBackdate(user.role)}
        />
      )}
    </Stack>
  );
}

/** A searchable pick of any agent (the server searches), saying where each one is now, and Assign. */
function AssignAgentControl({ org }: { org: Org }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [pickedAtClick, setPicked] = useState<Agent | null>(null);
  // Once picked, the box shows the agent's name: that is not a new search.
  const query = pickedAtClick && debounced === pickedAtClick.name ? '' : debounced;
  const candidates = useAgents({ ...(query ? { search: query } : {}), sort: 'name', pageSize: 20 });
  // The pick as the server has it now: one clicked in a cached list while it was asked again would
  // otherwise keep saying where the agent was then (and the list after a pick is the first page,
  // which a searched-for agent is seldom on).
  const pickedNow = useAgent(pickedAtClick?.id ?? null);
  const flow = useAssignFlow();

  const agents = candidates.data?.items ?? [];
  const picked = pickedAtClick && (pickedNow.data ?? pickedAtClick);
  const known = picked && !agents.some((agent) => agent.id === picked.id) ? [picked, ...agents] : agents;
  const byId = new Map(known.map((agent) => [agent.id, agent]));
  const where = (agent: Agent) =>
    agent.org === null ? 'unassigned' : agent.org.id === org.id ? 'already here' : `in ${agent.org.name}`;

  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Select
          label="Assign agent"
          placeholder="Search agents by name, handle, email"
          w={340}
          searchable
          clearable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options }) => options}
          data={known.map((agent) => ({
            value: agent.id,
            label: agent.name,
            disabled: agent.org?.id === org.id,
          }))}
          value={picked?.id ?? null}
          onChange={(id) => setPicked(id ? (byId.get(id) ?? null) : null)}
          renderOption={({ option }) => {
            const agent = byId.get(option.value);
            return (
              <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
                <div>
                  <Text size="sm">{option.label}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {agent?.handle}
                  </Text>
                </div>
                {agent && (
                  <Text size="xs" c={agent.org ? 'orange' : 'dimmed'} ta="right">
                    {where(agent)}
                  </Text>
                )}
              </Group>
            );
          }}
          nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No agent matches'}
        />
        <Button
          leftSection={<IconPlus size={16} />}
          disabled={!picked}
          loading={flow.pending}
          onClick={() => {
            if (!picked) return;
            const name = picked.name;
            flow.start(
              { agentIds: [picked.id], orgId: org.id, orgName: org.name },
              {
                onDone: () => {
                  notifications.show({
                    color: 'teal',
                    title: 'Assigned',
                    message: `${name} is now in ${org.name}.`,
                  });
                  setPicked(null);
                  setSearch('');
                },
                onError: (error) =>
                  notifications.show({ color: 'red', title: 'Could not assign', message: error.message }),
              },
            );
          }}
        >
          Assign
        </Button>
      </Group>
      {picked && (
        <Text size="xs" c="dimmed">
          {picked.handle} ·{' '}
          {picked.org && picked.org.id !== org.id
            ? `now in ${picked.org.name}: assigning moves it`
            : where(picked)}
        </Text>
      )}
      {flow.modal}
    </Stack>
  );
}

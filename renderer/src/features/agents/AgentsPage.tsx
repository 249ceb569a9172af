import {
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconArrowsExchange,
  IconBuilding,
  IconPlus,
  IconRobot,
  IconSearch,
  IconX,
} from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { Agent } from '../../../../shared/contract/agents';
import type { SessionUser } from '../../../../shared/contract/session';
import { mayBackdate, seesAllOrgs } from '../../../../shared/domain/permissions';
import { usePaletteRequest } from '../../app/palette-requests';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { formatCount, plural } from '../../ui/format';
import { Pages } from '../../ui/Pages';
import { QueryState } from '../../ui/QueryState';
import { AgentDrawer } from './AgentDrawer';
import { AgentsTable, type SortState } from './AgentsTable';
import { AssignAgentsModal } from './AssignAgentsModal';
import { CreateAgentModal } from './CreateAgentModal';
import { AGENTS_PAGE_SIZE, type AgentSort, type AgentStatusFilter, useAgents } from './queries';
import { UnassignAgentsModal } from './UnassignAgentsModal';

const STATUS_FILTERS: { value: AgentStatusFilter | 'any'; label: string }[] = [
  { value: 'any', label: 'All statuses' },
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'stopped', label: 'Stopped' },
  { value: 'stopped_by_org', label: 'Stopped by org' },
];

/** Sorting by when something changed reads best newest first; names and the like A to Z. */
const firstDirection = (column: AgentSort) => (column === 'updatedAt' ? 'desc' : 'asc');

export function AgentsPage({ user }: { user: SessionUser }) {
  const all = seesAllOrgs(user.role);
  const selection = useSwitcherOrg(user);
  // A bound user's scope is set by the server: only a chosen org narrows the list.
  const contextOrg = selection.locked ? null : selection.org;
  const contextPending = !selection.locked && selection.pending;

  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<AgentStatusFilter | 'any'>('any');
  const [unassignedOnly, setUnassignedOnly] = useState(false);
  const [sort, setSort] = useState<SortState>({ sort: 'name', direction: 'asc' });
  const org = all && unassignedOnly ? 'unassigned' : contextOrg?.id;

  // Any change of what is listed starts again at page 1.
  const filterKey = JSON.stringify([org, debounced, status, sort]);
  const [paging, setPaging] = useState({ key: filterKey, page: 1 });
  const page = paging.key === filterKey ? paging.page : 1;
  const setPage = (next: number) => setPaging({ key: filterKey, page: next });

  const list = useAgents(
    {
      ...(org ? { org } : {}),
      ...(debounced ? { search: debounced } : {}),
      ...(status !== 'any' ? { status } : {}),
      sort: sort.sort,
      direction: sort.direction,
      page,
      pageSize: AGENTS_PAGE_SIZE,
    },
    !contextPending,
  );
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / AGENTS_PAGE_SIZE));

  // A page emptied by a change (agents unassigned out of a filtered list) falls back to the last one.
  useEffect(() => {
    if (list.data && list.data.items.length === 0 && list.data.page > 1 && !list.isPlaceholderData) {
      setPaging({ key: filterKey, page: Math.max(1, Math.ceil(list.data.total / AGENTS_PAGE_SIZE)) });
    }
  }, [list.data, list.isPlaceholderData, filterKey]);

  const [selected, setSelected] = useState<ReadonlyMap<string, Agent>>(new Map());
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  usePaletteRequest(
    'new-agent',
    useCallback(() => setCreating(true), []),
  );
  usePaletteRequest(
    'open-agent',
    useCallback((request: { agentId: string }) => setOpenId(request.agentId), []),
  );
  const [assigning, setAssigning] = useState(false);
  const [unassigning, setUnassigning] = useState(false);

  // The rows on screen are fresher than the ones remembered when they were ticked.
  const chosen = [...selected.values()].map(
    (agent) => list.data?.items.find((item) => item.id === agent.id) ?? agent,
  );
  const clearSelection = () => setSelected(new Map());
  const toggle = (agent: Agent) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(agent.id)) next.delete(agent.id);
      else next.set(agent.id, agent);
      return next;
    });
  const togglePage = (select: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const agent of list.data?.items ?? []) {
        if (select) next.set(agent.id, agent);
        else next.delete(agent.id);
      }
      return next;
    });

  const onSort = (column: AgentSort) =>
    setSort((current) =>
      current.sort === column
        ? { sort: column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { sort: column, direction: firstDirection(column) },
    );

  const filtered = !!debounced || status !== 'any' || unassignedOnly;
  const scopeLabel = unassignedOnly
    ? 'Unassigned agents'
    : contextOrg
      ? contextOrg.name
      : all
        ? 'All organizations'
        : (selection.name ?? 'Your organization');
  const first = (page - 1) * AGENTS_PAGE_SIZE + 1;
  const last = Math.min(total, page * AGENTS_PAGE_SIZE);

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Agents</Title>
          <Text c="dimmed" size="sm" aria-live="polite">
            {scopeLabel}
            {list.data ? ` · ${plural(total, 'agent')}${filtered ? ' match' : ''}` : ''}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New agent
        </Button>
      </Group>
      <Group gap="sm" align="center">
        <TextInput
          placeholder="Search name, handle, email or model"
          aria-label="Search agents"
          leftSection={<IconSearch size={16} />}
          rightSection={list.isFetching && debounced ? <Loader size={14} /> : undefined}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={340}
          maw="100%"
        />
        <Select
          aria-label="Status filter"
          data={STATUS_FILTERS}
          value={status}
          onChange={(value) => setStatus((value as AgentStatusFilter | 'any' | null) ?? 'any')}
          allowDeselect={false}
          w={170}
        />
        {all && (
          <Switch
            label="Unassigned only"
            checked={unassignedOnly}
            onChange={(event) => setUnassignedOnly(event.currentTarget.checked)}
          />
        )}
        {contextOrg && !unassignedOnly && (
          <Badge
            variant="light"
            size="lg"
            leftSection={<IconBuilding size={14} />}
            title="Chosen in the organization switcher; choose “All organizations” there to see every agent"
          >
            {contextOrg.name}
          </Badge>
        )}
      </Group>
      {selected.size > 0 && (
        <Paper withBorder p="xs" px="md" bg="var(--mantine-primary-color-light)" aria-label="Selection">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {selected.size} selected
            </Text>
            <Group gap="xs">
              {all && (
                <Button
                  size="xs"
                  leftSection={<IconArrowsExchange size={14} />}
                  onClick={() => setAssigning(true)}
                >
                  Assign to…
                </Button>
              )}
              <Button size="xs" variant="default" onClick={() => setUnassigning(true)}>
                Unassign
              </Button>
              <Button
                size="xs"
                variant="subtle"
                color="gray"
                leftSection={<IconX size={14} />}
                onClick={clearSelection}
              >
                Clear selection
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      <Paper withBorder p={0}>
        <QueryState
          query={list}
          loadingLabel="Loading agents"
          errorTitle="Could not load agents"
          isEmpty={(data) => data.items.length === 0 && page === 1}
          empty={
            <EmptyState icon={<IconRobot size={24} />} title={filtered ? 'No match' : 'No agents yet'}>
              <EmptyHint>
                {filtered
                  ? 'No agent matches the search and filters. Clear them to see more.'
                  : contextOrg
                    ? `${contextOrg.name} has no agents. Assign some, or choose “All organizations” in the switcher.`
                    : 'Register the first agent with “New agent”.'}
              </EmptyHint>
            </EmptyState>
          }
        >
          {(data) => (
            <AgentsTable
              agents={data.items}
              sort={sort}
              onSort={onSort}
              selected={selected}
              onToggle={toggle}
              onTogglePage={togglePage}
              onOpen={(agent) => setOpenId(agent.id)}
            />
          )}
        </QueryState>
      </Paper>
      {list.data && total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
          </Text>
          <Pages total={pages} value={Math.min(page, pages)} onChange={setPage} />
        </Group>
      )}
      <AgentDrawer agentId={openId} user={user} onClose={() => setOpenId(null)} />
      {creating && (
        <CreateAgentModal
          onClose={() => setCreating(false)}
          initialOrgId={contextOrg?.status === 'active' ? contextOrg.id : null}
          boundOrgName={selection.locked ? selection.name : undefined}
        />
      )}
      {assigning && (
        <AssignAgentsModal
          agents={chosen}
          initialOrgId={contextOrg?.status === 'active' ? contextOrg.id : null}
          onClose={() => setAssigning(false)}
          onDone={clearSelection}
          canBackdate={mayBackdate(user.role)}
        />
      )}
      {unassigning && (
        <UnassignAgentsModal
          agents={chosen}
          onClose={() => setUnassigning(false)}
          onDone={clearSelection}
          canBackdate={mayBackdate(user.role)}
        />
      )}
    </Stack>
  );
}

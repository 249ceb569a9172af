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
import {
  IconArrowsExchange,
  IconBuilding,
  IconFileImport,
  IconPlus,
  IconRobot,
  IconSearch,
  IconX,
} from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { AgentListItem } from '../../../../shared/contract/agents';
import type { SessionUser } from '../../../../shared/contract/session';
import { formatCount, plural } from '../../../../shared/domain/counts';
import { allows, mayBackdate, seesAllOrgs } from '../../../../shared/domain/permissions';
import { usePaletteRequest } from '../../app/palette-requests';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { useUrlSearch, useUrlState } from '../../app/use-url-state';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { Pages } from '../../ui/Pages';
import { QueryState } from '../../ui/QueryState';
import { MonthPicker } from '../billing/MonthPicker';
import { useBillingMonth } from '../billing/use-billing-month';
import { AgentDrawer } from './AgentDrawer';
import { AgentsTable } from './AgentsTable';
import { AssignAgentsModal } from './AssignAgentsModal';
import { useAgentSort } from './agent-figures';
import { agentsListInput, seesAgentMoney } from './agent-list-view';
import { CreateAgentModal } from './CreateAgentModal';
import { ImportAgentsModal } from './ImportAgentsModal';
import { AGENTS_PAGE_SIZE, type AgentStatusFilter, useAgents } from './queries';
import { UnassignAgentsModal } from './UnassignAgentsModal';

const STATUS_FILTERS: { value: AgentStatusFilter | 'any'; label: string }[] = [
  { value: 'any', label: 'All statuses' },
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'stopped', label: 'Stopped' },
  { value: 'stopped_by_org', label: 'Stopped by org' },
];

const isStatusFilter = (value: string | null): value is AgentStatusFilter =>
  STATUS_FILTERS.some((filter) => filter.value === value && value !== 'any');

export function AgentsPage({ user }: { user: SessionUser }) {
  const all = seesAllOrgs(user.role);
  const selection = useSwitcherOrg(user);
  // A bound user's scope is set by the server: only a chosen org narrows the list.
  const contextOrg = selection.locked ? null : selection.org;
  const contextPending = !selection.locked && selection.pending;

  // Search, filters, sort, page and month live in the address: a reload or a link keeps them.
  const [params, update] = useUrlState();
  const { text: search, setText: setSearch, search: debounced } = useUrlSearch();
  const statusParam = params.get('status');
  const status: AgentStatusFilter | 'any' = isStatusFilter(statusParam) ? statusParam : 'any';
  const unassignedOnly = params.get('unassigned') === '1';
  const { sort, onSort } = useAgentSort();
  const money = seesAgentMoney(user);
  const [month, setMonth] = useBillingMonth();
  const org = all && unassignedOnly ? 'unassigned' : contextOrg?.id;
  const pageParam = Number(params.get('page'));
  const page = Number.isInteger(pageParam) && pageParam > 1 ? pageParam : 1;
  const setPage = (next: number) => update({ page: next > 1 ? String(next) : null });

  const list = useAgents(
    agentsListInput({
      org,
      search: debounced,
      status: status !== 'any' ? status : undefined,
      sort,
      page,
      month: money ? month : undefined,
    }),
    !contextPending,
  );
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / AGENTS_PAGE_SIZE));

  // A page emptied by a change (agents unassigned out of a filtered list) falls back to the last one.
  useEffect(() => {
    if (list.data && list.data.items.length === 0 && list.data.page > 1 && !list.isPlaceholderData) {
      const last = Math.max(1, Math.ceil(list.data.total / AGENTS_PAGE_SIZE));
      update({ page: last > 1 ? String(last) : null });
    }
  }, [list.data, list.isPlaceholderData, update]);

  const [selected, setSelected] = useState<ReadonlyMap<string, AgentListItem>>(new Map());
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
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
  const toggle = (agent: AgentListItem) =>
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
        <Group gap="sm">
          {allows(user, 'agents.manage') && (
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => setImporting(true)}
            >
              Import CSV
            </Button>
          )}
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New agent
          </Button>
        </Group>
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
          onChange={(value) => update({ status: isStatusFilter(value) ? value : null, page: null })}
          allowDeselect={false}
          w={170}
        />
        {money && <MonthPicker value={month} onChange={setMonth} />}
        {all && (
          <Switch
            label="Unassigned only"
            checked={unassignedOnly}
            onChange={(event) => update({ unassigned: event.currentTarget.checked ? '1' : null, page: null })}
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
              onSort={(column) => {
                onSort(column);
                setPage(1);
              }}
              threshold={data.lowMarginThreshold}
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
      {importing && <ImportAgentsModal onClose={() => setImporting(false)} />}
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

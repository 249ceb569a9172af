import { ActionIcon, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type * as z from 'zod';
import type {
  AgentMargin,
  MarginsReport,
  OrgMargin,
  UnattributedAgent,
} from '../../../../shared/contract/billing';
import { formatCount, plural } from '../../../../shared/domain/counts';
import { shareBasisPoints, usd, usdExact } from '../../ui/money';
import {
  DataTable,
  exactAmount,
  type Sort,
  SortableTh,
  type SortValue,
  sortRows,
  useTableSort,
} from '../../ui/SortableTable';
import { BudgetBadge, isLow, MarginValue, NumTd } from './figures';

/**
 * A revenue figure, and under it what it is made of when there is more than agent fees: the
 * usage fee and the minimum's top-up (the columns stay as they were for orgs that rebill nothing).
 */
function RevenueCell({
  revenue,
  agents,
  usage,
  topUp = '0.00',
  bold = false,
}: {
  revenue: string;
  agents: string;
  usage: string;
  topUp?: string;
  bold?: boolean;
}) {
  const parts = usage !== '0.00' || topUp !== '0.00';
  return (
    <NumTd fw={bold ? 700 : undefined} title={usdExact(revenue)}>
      {usd(revenue)}
      {parts && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {usd(agents)} agents + {usd(usage)} usage{topUp !== '0.00' && ` + ${usd(topUp)} minimum`}
        </Text>
      )}
    </NumTd>
  );
}

export type OrgRow = z.infer<typeof OrgMargin>;
export type AgentRow = z.infer<typeof AgentMargin>;
type UnattributedAgentRow = z.infer<typeof UnattributedAgent>;

const LOW_ROW = { backgroundColor: 'var(--mantine-color-red-light)' };
/** Rows inside an org (its agents, a day): a faint tint, light enough for teal figures to read. */
const CHILD_ROW = {
  backgroundColor: 'light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))',
};

/** An amount to the cent, every digit the server sent in its tooltip. */
export function MoneyTd({ value, ...props }: { value: string; fw?: number; c?: string }) {
  return (
    <NumTd title={usdExact(value)} {...props}>
      {usd(value)}
    </NumTd>
  );
}

export const MARGIN_COLUMNS = ['name', 'agents', 'revenue', 'cost', 'margin', 'unpriced', 'budget'] as const;
export type MarginColumn = (typeof MARGIN_COLUMNS)[number];
/** Amounts, shares and counts read best largest first; names A to Z. */
export const amountsFirst = (column: string) => (column === 'name' ? 'asc' : 'desc');

const AGENT_VALUES: Record<MarginColumn, (agent: AgentRow) => SortValue> = {
  name: (agent) => agent.name,
  agents: () => null,
  revenue: (agent) => exactAmount(agent.revenue),
  cost: (agent) => exactAmount(agent.cost),
  margin: (agent) => agent.margin,
  unpriced: (agent) => agent.unpriced_tokens,
  budget: () => null,
};

const ORG_VALUES: Record<MarginColumn, (org: OrgRow) => SortValue> = {
  name: (org) => org.name,
  agents: (org) => org.agents_billed,
  revenue: (org) => exactAmount(org.revenue),
  cost: (org) => exactAmount(org.cost),
  margin: (org) => org.margin,
  unpriced: (org) => org.unpriced_tokens,
  // Budget use: the share of its budget the month's cost took, exactly; no budget sorts last.
  budget: (org) => (org.budget === null ? null : shareBasisPoints(org.cost, org.budget)),
};

/** An org with nothing this month: no revenue, no tokens, no agent. */
const idle = (org: OrgRow) =>
  org.agents.length === 0 &&
  exactAmount(org.revenue) === 0n &&
  exactAmount(org.cost) === 0n &&
  org.input_tokens + org.output_tokens + org.cache_read_tokens + org.cache_write_tokens === 0;

function AgentName({ agent, onOpen }: { agent: { name: string; handle: string }; onOpen?: () => void }) {
  const label = (
    <>
      <Text size="sm" fw={500} component="span">
        {agent.name}
      </Text>{' '}
      {agent.handle && (
        <Text size="xs" c="dimmed" ff="monospace" component="span">
          @{agent.handle}
        </Text>
      )}
    </>
  );
  return onOpen ? (
    <UnstyledButton onClick={onOpen} aria-label={`Open ${agent.name}`}>
      {label}
    </UnstyledButton>
  ) : (
    label
  );
}

/** The expand button of a row that opens to more rows. */
function Toggle({ open, label, onToggle }: { open: boolean; label: string; onToggle: () => void }) {
  return (
    <ActionIcon
      variant="subtle"
      color="gray"
      aria-label={`${open ? 'Hide' : 'Show'} ${label}`}
      aria-expanded={open}
      onClick={onToggle}
    >
      {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
    </ActionIcon>
  );
}

/** A row that toggles when clicked anywhere but its buttons. */
const toggleOnClick = (onToggle: () => void) => ({
  style: { cursor: 'pointer' },
  onClick: (event: React.MouseEvent) => {
    if (!(event.target as HTMLElement).closest('button')) onToggle();
  },
});

/** One agent's row, in the org's columns: the org's own columns (agents billed, budget) stay empty. */
function AgentMarginRow({
  agent,
  threshold,
  onAgent,
  indent,
}: {
  agent: AgentRow;
  threshold: number;
  onAgent: (agent: AgentRow) => void;
  indent: boolean;
}) {
  return (
    <Table.Tr
      style={{ cursor: 'pointer', ...(isLow(agent.margin, threshold) ? LOW_ROW : indent ? CHILD_ROW : {}) }}
      onClick={(event) => {
        if (!(event.target as HTMLElement).closest('button')) onAgent(agent);
      }}
    >
      {indent && <Table.Td />}
      <Table.Td pl={indent ? 'xl' : undefined}>
        <AgentName agent={agent} onOpen={() => onAgent(agent)} />
      </Table.Td>
      {indent && <Table.Td />}
      <RevenueCell revenue={agent.revenue} agents={agent.revenue_agents} usage={agent.revenue_usage} />
      <MoneyTd value={agent.cost} />
      <NumTd>
        <MarginValue margin={agent.margin} threshold={threshold} />
      </NumTd>
      <NumTd c={agent.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
        {formatCount(agent.unpriced_tokens)}
      </NumTd>
      {indent && <Table.Td />}
    </Table.Tr>
  );
}

const AGENT_TABLE_COLUMNS = ['name', 'revenue', 'cost', 'margin', 'unpriced'] as const;

/** One org's agents for the month, on the org's Billing tab: sortable, the sort kept in the address. */
export function AgentsTable({
  org,
  threshold,
  onAgent,
}: {
  org: OrgRow;
  threshold: number;
  onAgent: (agent: AgentRow) => void;
}) {
  const { sort, onSort } = useTableSort(
    'sort',
    AGENT_TABLE_COLUMNS,
    { column: 'name', direction: 'asc' },
    amountsFirst,
  );
  if (org.agents.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="xs" px="md">
        No agent of {org.name} was billed or used tokens this month.
      </Text>
    );
  }
  const th = { sort, onSort };
  return (
    <DataTable minWidth={640} verticalSpacing={6} highlightOnHover aria-label={`Agents of ${org.name}`}>
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="name" label="Agent" {...th} />
          <SortableTh column="revenue" label="Revenue" numeric {...th} />
          <SortableTh column="cost" label="Cost" numeric {...th} />
          <SortableTh column="margin" label="Margin" numeric {...th} />
          <SortableTh column="unpriced" label="Unpriced tokens" numeric {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(org.agents, sort, AGENT_VALUES).map((agent) => (
          <AgentMarginRow
            key={agent.id}
            agent={agent}
            threshold={threshold}
            onAgent={onAgent}
            indent={false}
          />
        ))}
      </Table.Tbody>
    </DataTable>
  );
}

/** Unattributed usage per agent, each agent opening to its days. */
function UnattributedRows({
  agents,
  expanded,
  onToggle,
}: {
  agents: UnattributedAgentRow[];
  expanded: ReadonlySet<string>;
  onToggle: (key: string) => void;
}) {
  return agents.flatMap((agent) => {
    const key = `unattributed:${agent.id}`;
    const open = expanded.has(key);
    const tokens = agent.input_tokens + agent.output_tokens;
    const rows: ReactNode[] = [
      <Table.Tr key={key} {...toggleOnClick(() => onToggle(key))} style={{ cursor: 'pointer', ...CHILD_ROW }}>
        <Table.Td />
        <Table.Td pl="xl">
          <Group gap={4} wrap="nowrap">
            <Toggle open={open} label={`days of ${agent.name}`} onToggle={() => onToggle(key)} />
            <div>
              <AgentName agent={agent} />
              <Text size="xs" c="dimmed">
                {plural(agent.days.length, 'day')} · {plural(tokens, 'token')}
              </Text>
            </div>
          </Group>
        </Table.Td>
        <Table.Td />
        <NumTd c="dimmed">—</NumTd>
        <MoneyTd value={agent.cost} />
        <NumTd c="dimmed">—</NumTd>
        <NumTd c={agent.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
          {formatCount(agent.unpriced_tokens)}
        </NumTd>
        <Table.Td />
      </Table.Tr>,
    ];
    if (open) {
      for (const day of agent.days) {
        rows.push(
          <Table.Tr key={`${key}:${day.day}`} style={CHILD_ROW}>
            <Table.Td />
            <Table.Td pl={64}>
              <Text size="sm" ff="monospace">
                {day.day}
              </Text>
              <Text size="xs" c="dimmed">
                UTC · {plural(day.input_tokens + day.output_tokens, 'token')}
              </Text>
            </Table.Td>
            <Table.Td />
            <NumTd c="dimmed">—</NumTd>
            <MoneyTd value={day.cost} />
            <NumTd c="dimmed">—</NumTd>
            <NumTd c={day.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
              {formatCount(day.unpriced_tokens)}
            </NumTd>
            <Table.Td />
          </Table.Tr>,
        );
      }
    }
    return rows;
  });
}

function OrgRows({
  org,
  open,
  sort,
  threshold,
  onToggle,
  onAgent,
}: {
  org: OrgRow;
  open: boolean;
  sort: Sort<MarginColumn>;
  threshold: number;
  onToggle: (key: string) => void;
  onAgent: (agent: AgentRow) => void;
}) {
  const toggle = () => onToggle(org.id);
  return (
    <>
      <Table.Tr
        {...toggleOnClick(toggle)}
        style={{ cursor: 'pointer', ...(isLow(org.margin, threshold) ? LOW_ROW : {}) }}
      >
        <Table.Td>
          <Toggle open={open} label={`agents of ${org.name}`} onToggle={toggle} />
        </Table.Td>
        <Table.Td>
          <Text size="sm" fw={600}>
            {org.name}
          </Text>
        </Table.Td>
        <NumTd>{formatCount(org.agents_billed)}</NumTd>
        <RevenueCell
          revenue={org.revenue}
          agents={org.revenue_agents}
          usage={org.revenue_usage}
          topUp={org.minimum_topup}
        />
        <MoneyTd value={org.cost} />
        <NumTd>
          <MarginValue margin={org.margin} threshold={threshold} />
        </NumTd>
        <NumTd c={org.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>{formatCount(org.unpriced_tokens)}</NumTd>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Group gap={6} wrap="nowrap">
            <BudgetBadge state={org.budget_state} use={org.budget_use} />
            {org.budget !== null && (
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                of {usd(org.budget)}
              </Text>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {open && org.agents.length === 0 && (
        <Table.Tr style={CHILD_ROW}>
          <Table.Td />
          <Table.Td colSpan={7} pl="xl">
            <Text size="sm" c="dimmed">
              No agent of {org.name} was billed or used tokens this month.
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
      {open &&
        sortRows(org.agents, sort, AGENT_VALUES).map((agent) => (
          <AgentMarginRow key={agent.id} agent={agent} threshold={threshold} onAgent={onAgent} indent />
        ))}
    </>
  );
}

/**
 * One row per org, opening to its agents in the same columns; orgs with nothing this month are
 * folded under "No activity"; the unattributed usage opens by agent and day; totals close the table.
 * Every column sorts, on the server's exact figures; the sort is kept in the address.
 */
export function MarginsTable({
  report,
  expanded,
  onToggle,
  onAgent,
}: {
  report: MarginsReport;
  expanded: ReadonlySet<string>;
  onToggle: (key: string) => void;
  onAgent: (agent: AgentRow) => void;
}) {
  const { sort, onSort } = useTableSort(
    'sort',
    MARGIN_COLUMNS,
    { column: 'name', direction: 'asc' },
    amountsFirst,
  );
  const threshold = report.low_margin_threshold;
  const active = sortRows(
    report.orgs.filter((org) => !idle(org)),
    sort,
    ORG_VALUES,
  );
  const quiet = report.orgs.filter(idle);
  const quietOpen = expanded.has('no-activity');
  const unattributed = report.unattributed;
  const unattributedOpen = expanded.has('unattributed');
  const th = { sort, onSort };

  return (
    <DataTable minWidth={860} verticalSpacing="sm" aria-label="Margins by organization">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40} aria-label="Expand" />
          <SortableTh column="name" label="Organization / agent" {...th} />
          <SortableTh column="agents" label="Agents billed" numeric {...th} />
          <SortableTh column="revenue" label="Revenue" numeric {...th} />
          <SortableTh column="cost" label="Cost" numeric {...th} />
          <SortableTh column="margin" label="Margin" numeric {...th} />
          <SortableTh column="unpriced" label="Unpriced tokens" numeric {...th} />
          <SortableTh column="budget" label="Budget" {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {active.map((org) => (
          <OrgRows
            key={org.id}
            org={org}
            open={expanded.has(org.id)}
            sort={sort}
            threshold={threshold}
            onToggle={onToggle}
            onAgent={onAgent}
          />
        ))}
        {unattributed && (
          <Table.Tr aria-label="Unattributed usage" {...toggleOnClick(() => onToggle('unattributed'))}>
            <Table.Td>
              {unattributed.by_agent.length > 0 && (
                <Toggle
                  open={unattributedOpen}
                  label="unattributed usage by agent"
                  onToggle={() => onToggle('unattributed')}
                />
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" fs="italic">
                Unattributed usage
              </Text>
              <Text size="xs" c="dimmed">
                Agents in no organization when they used tokens ·{' '}
                {plural(unattributed.input_tokens + unattributed.output_tokens, 'token')}
              </Text>
            </Table.Td>
            <NumTd c="dimmed">—</NumTd>
            <NumTd c="dimmed">—</NumTd>
            <MoneyTd value={unattributed.cost} />
            <NumTd c="dimmed">—</NumTd>
            <NumTd c={unattributed.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
              {formatCount(unattributed.unpriced_tokens)}
            </NumTd>
            <Table.Td />
          </Table.Tr>
        )}
        {unattributed && unattributedOpen && (
          <UnattributedRows agents={unattributed.by_agent} expanded={expanded} onToggle={onToggle} />
        )}
        {quiet.length > 0 && (
          <Table.Tr aria-label="No activity" {...toggleOnClick(() => onToggle('no-activity'))}>
            <Table.Td>
              <Toggle
                open={quietOpen}
                label="organizations without activity"
                onToggle={() => onToggle('no-activity')}
              />
            </Table.Td>
            <Table.Td colSpan={7}>
              <Text size="sm" c="dimmed">
                No activity · {plural(quiet.length, 'organization')} without revenue or usage this month
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {quietOpen &&
          quiet.map((org) => (
            <Table.Tr key={org.id} style={CHILD_ROW}>
              <Table.Td />
              <Table.Td pl="xl">
                <Text size="sm">{org.name}</Text>
              </Table.Td>
              <NumTd c="dimmed">0</NumTd>
              <MoneyTd value={org.revenue} c="dimmed" />
              <MoneyTd value={org.cost} c="dimmed" />
              <NumTd c="dimmed">—</NumTd>
              <NumTd c="dimmed">0</NumTd>
              <Table.Td>
                <BudgetBadge state={org.budget_state} use={org.budget_use} />
              </Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr aria-label="Totals">
          <Table.Td />
          <Table.Td fw={700}>Total</Table.Td>
          <NumTd fw={700}>{formatCount(report.totals.agents_billed)}</NumTd>
          <RevenueCell
            revenue={report.totals.revenue}
            agents={report.totals.revenue_agents}
            usage={report.totals.revenue_usage}
            topUp={report.totals.minimum_topup}
            bold
          />
          <MoneyTd fw={700} value={report.totals.cost} />
          <NumTd>
            <MarginValue margin={report.totals.margin} threshold={threshold} />
          </NumTd>
          <NumTd fw={700}>{formatCount(report.totals.unpriced_tokens)}</NumTd>
          <Table.Td />
        </Table.Tr>
      </Table.Tfoot>
    </DataTable>
  );
}

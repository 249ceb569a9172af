import { ActionIcon, Box, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { z } from 'zod';
import type { AgentMargin, MarginsReport, OrgMargin } from '../../../../shared/contract/billing';
import { formatCount } from '../../ui/format';
import { usd, usdExact } from '../../ui/money';

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
    <NumTd fw={bold ? 700 : undefined}>
      {usd(revenue)}
      {parts && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {usd(agents)} agents + {usd(usage)} usage{topUp !== '0.00' && ` + ${usd(topUp)} minimum`}
        </Text>
      )}
    </NumTd>
  );
}

import { BudgetBadge, isLow, MarginValue, NumTd, NumTh } from './figures';

export type OrgRow = z.infer<typeof OrgMargin>;
export type AgentRow = z.infer<typeof AgentMargin>;

const LOW_ROW = { backgroundColor: 'var(--mantine-color-red-light)' };

export function AgentsTable({
  org,
  threshold,
  onAgent,
}: {
  org: OrgRow;
  threshold: number;
  onAgent: (agent: AgentRow) => void;
}) {
  if (org.agents.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="xs" px="md">
        No agent of {org.name} was billed or used tokens this month.
      </Text>
    );
  }
  return (
    <Table verticalSpacing={6} highlightOnHover aria-label={`Agents of ${org.name}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Agent</Table.Th>
          <NumTh>Revenue</NumTh>
          <NumTh>Cost</NumTh>
          <NumTh>Margin</NumTh>
          <NumTh>Input tokens</NumTh>
          <NumTh>Output tokens</NumTh>
          <NumTh>Unpriced tokens</NumTh>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {org.agents.map((agent) => (
          <Table.Tr
            key={agent.id}
            style={{ cursor: 'pointer', ...(isLow(agent.margin, threshold) ? LOW_ROW : {}) }}
            onClick={(event) => {
              if (!(event.target as HTMLElement).closest('button')) onAgent(agent);
            }}
          >
            <Table.Td>
              <UnstyledButton onClick={() => onAgent(agent)} aria-label={`Open ${agent.name}`}>
                <Text size="sm" fw={500} component="span">
                  {agent.name}
                </Text>{' '}
                <Text size="xs" c="dimmed" ff="monospace" component="span">
                  @{agent.handle}
                </Text>
              </UnstyledButton>
            </Table.Td>
            <RevenueCell revenue={agent.revenue} agents={agent.revenue_agents} usage={agent.revenue_usage} />
            <NumTd title={usdExact(agent.cost)}>{usd(agent.cost)}</NumTd>
            <NumTd>
              <MarginValue margin={agent.margin} threshold={threshold} />
            </NumTd>
            <NumTd>{formatCount(agent.input_tokens)}</NumTd>
            <NumTd>{formatCount(agent.output_tokens)}</NumTd>
            <NumTd c={agent.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
              {formatCount(agent.unpriced_tokens)}
            </NumTd>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const COLUMNS = 8;

/**
 * One row per org, expanding to its agents; the unattributed line and the totals close the table.
 * Low margins are highlighted; budgets show their state.
 */
export function MarginsTable({
  report,
  expanded,
  onToggle,
  onAgent,
}: {
  report: MarginsReport;
  expanded: ReadonlySet<string>;
  onToggle: (orgId: string) => void;
  onAgent: (agent: AgentRow) => void;
}) {
  const threshold = report.low_margin_threshold;
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" aria-label="Margins by organization">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40} aria-label="Expand" />
            <Table.Th>Organization</Table.Th>
            <NumTh>Agents billed</NumTh>
            <NumTh>Revenue</NumTh>
            <NumTh>Cost</NumTh>
            <NumTh>Margin</NumTh>
            <NumTh>Unpriced tokens</NumTh>
            <Table.Th>Budget</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.orgs.map((org) => {
            const open = expanded.has(org.id);
            return [
              <Table.Tr
                key={org.id}
                style={{ cursor: 'pointer', ...(isLow(org.margin, threshold) ? LOW_ROW : {}) }}
                onClick={(event) => {
                  if (!(event.target as HTMLElement).closest('button')) onToggle(org.id);
                }}
              >
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`${open ? 'Hide' : 'Show'} agents of ${org.name}`}
                    aria-expanded={open}
                    onClick={() => onToggle(org.id)}
                  >
                    {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                  </ActionIcon>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {org.name}
                  </Text>
                </Table.Td>
                <NumTd>{org.agents_billed}</NumTd>
                <RevenueCell
                  revenue={org.revenue}
                  agents={org.revenue_agents}
                  usage={org.revenue_usage}
                  topUp={org.minimum_topup}
                />
                <NumTd title={usdExact(org.cost)}>{usd(org.cost)}</NumTd>
                <NumTd>
                  <MarginValue margin={org.margin} threshold={threshold} />
                </NumTd>
                <NumTd c={org.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
                  {formatCount(org.unpriced_tokens)}
                </NumTd>
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
              </Table.Tr>,
              open && (
                <Table.Tr key={`${org.id}-agents`}>
                  <Table.Td colSpan={COLUMNS} p={0}>
                    <Box pl={40} pr="xs" py={4} bg="var(--mantine-color-default-hover)">
                      <AgentsTable org={org} threshold={threshold} onAgent={onAgent} />
                    </Box>
                  </Table.Td>
                </Table.Tr>
              ),
            ];
          })}
          {report.unattributed && (
            <Table.Tr aria-label="Unattributed usage">
              <Table.Td />
              <Table.Td>
                <Text size="sm" fs="italic">
                  Unattributed usage
                </Text>
                <Text size="xs" c="dimmed">
                  Agents in no organization when they used tokens ·{' '}
                  {formatCount(report.unattributed.input_tokens + report.unattributed.output_tokens)} tokens
                </Text>
              </Table.Td>
              <NumTd c="dimmed">—</NumTd>
              <NumTd c="dimmed">—</NumTd>
              <NumTd title={usdExact(report.unattributed.cost)}>{usd(report.unattributed.cost)}</NumTd>
              <NumTd c="dimmed">—</NumTd>
              <NumTd c={report.unattributed.unpriced_tokens > 0 ? 'yellow.8' : 'dimmed'}>
                {formatCount(report.unattributed.unpriced_tokens)}
              </NumTd>
              <Table.Td />
            </Table.Tr>
          )}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr aria-label="Totals">
            <Table.Td />
            <Table.Td fw={700}>Total</Table.Td>
            <NumTd fw={700}>{report.totals.agents_billed}</NumTd>
            <RevenueCell
              revenue={report.totals.revenue}
              agents={report.totals.revenue_agents}
              usage={report.totals.revenue_usage}
              topUp={report.totals.minimum_topup}
              bold
            />
            <NumTd fw={700} title={usdExact(report.totals.cost)}>
              {usd(report.totals.cost)}
            </NumTd>
            <NumTd>
              <MarginValue margin={report.totals.margin} threshold={threshold} />
            </NumTd>
            <NumTd fw={700}>{formatCount(report.totals.unpriced_tokens)}</NumTd>
            <Table.Td />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

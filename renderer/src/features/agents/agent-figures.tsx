import { Table, Text } from '@mantine/core';
import type { AgentListItem } from '../../../../shared/contract/agents';
import { formatCount } from '../../../../shared/domain/counts';
import { usd, usdExact } from '../../ui/money';
import { type Sort, SortableTh, useTableSort } from '../../ui/SortableTable';
import { MarginValue, NumTd } from '../billing/figures';
import {
  AGENT_SORT_INITIAL,
  AGENT_SORT_PARAM,
  AGENT_SORTS,
  agentSortFirstDirection,
} from './agent-list-view';
import type { AgentSort } from './queries';

/** The agent list's sort, kept in the address; the server sorts (the list is paged). */
export const useAgentSort = () =>
  useTableSort<AgentSort>(AGENT_SORT_PARAM, AGENT_SORTS, AGENT_SORT_INITIAL, agentSortFirstDirection);

/** "$60.00 · org rate": the amount billed now, and whose rate it is. */
export function RateText({ agent }: { agent: AgentListItem }) {
  const rate = agent.rateInEffect;
  // Unassigned, without a rate of its own: it will bill the rate of the org it joins.
  if (!rate)
    return (
      <Text span size="sm" c="dimmed" title="Bills the rate of the organization it joins">
        org rate
      </Text>
    );
  // Each part stays whole; in a narrow window the line breaks between them rather than widen the table.
  return (
    <Text span size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
      <span style={{ whiteSpace: 'nowrap' }}>{usd(rate.amount)}</span>
      {rate.source === 'org' && ' '}
      {rate.source === 'org' && (
        <Text span inherit c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          · org rate
        </Text>
      )}
    </Text>
  );
}

/** The month's figures' headers, sortable; nothing for a viewer who may not see them. */
export function FigureHeaders({
  sort,
  onSort,
}: {
  sort: Sort<AgentSort>;
  onSort: (column: AgentSort) => void;
}) {
  const th = { sort, onSort };
  return (
    <>
      <SortableTh column="cost" label="Cost" numeric {...th} />
      <SortableTh column="tokens" label="Tokens" numeric {...th} />
      <SortableTh column="margin" label="Margin" numeric {...th} />
    </>
  );
}

export function FigureCells({ agent, threshold }: { agent: AgentListItem; threshold: number }) {
  const figures = agent.figures;
  if (!figures) return null;
  return (
    <>
      <NumTd title={usdExact(figures.cost)}>{usd(figures.cost)}</NumTd>
      <NumTd>{formatCount(figures.tokens)}</NumTd>
      <NumTd>
        <MarginValue margin={figures.margin} threshold={threshold} />
      </NumTd>
    </>
  );
}

export const RateTd = ({ agent }: { agent: AgentListItem }) => (
  <Table.Td ta="right">
    <RateText agent={agent} />
  </Table.Td>
);

import type { SessionUser } from '../../../../shared/contract/session';
import { allows } from '../../../../shared/domain/permissions';
import { type Sort, type SortDirection, sortInAddress } from '../../ui/sort-rows';
import { AGENTS_PAGE_SIZE, type AgentListInput, type AgentSort } from './queries';

/**
 * How the agent lists ask for a page, without the components that show it: the Agents page and
 * its org tab, and the start-up's data loading (route-data.ts), ask the same question the same way.
 */

/** Cost, tokens and margin are the MSP's figures: owners, admins and billing admins see them. */
export const seesAgentMoney = (user: SessionUser) => allows(user, 'billing.read');

export const AGENT_SORTS: readonly AgentSort[] = [
  'name',
  'handle',
  'model',
  'status',
  'org',
  'updatedAt',
  'rate',
  'cost',
  'tokens',
  'margin',
];

export const AGENT_SORT_PARAM = 'sort';
export const AGENT_SORT_INITIAL: Sort<AgentSort> = { column: 'name', direction: 'asc' };

/** Times and amounts read best newest or largest first; names and the like A to Z. */
export const agentSortFirstDirection = (column: AgentSort): SortDirection =>
  ['updatedAt', 'rate', 'cost', 'tokens', 'margin'].includes(column) ? 'desc' : 'asc';

/** The list's sort as an address names it. */
export const agentSortIn = (params: URLSearchParams) =>
  sortInAddress(params, AGENT_SORT_PARAM, AGENT_SORTS, AGENT_SORT_INITIAL);

/** One page of the list; `month` only for those who see the money figures. */
export function agentsListInput(view: {
  org?: string;
  search?: string;
  status?: AgentListInput['status'];
  sort: Sort<AgentSort>;
  page: number;
  month?: string;
}): AgentListInput {
  return {
    ...(view.org ? { org: view.org } : {}),
    ...(view.search ? { search: view.search } : {}),
    ...(view.status ? { status: view.status } : {}),
    sort: view.sort.column,
    direction: view.sort.direction,
    page: view.page,
    pageSize: AGENTS_PAGE_SIZE,
    ...(view.month ? { month: view.month } : {}),
  };
}

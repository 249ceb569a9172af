import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { billingKeys } from '../billing/queries';
import { knowledgeKeys } from '../knowledge/queries';
import { orgKeys } from '../orgs/queries';

export type AgentListInput = ChannelInput<'agents.list'>;
export type AgentSort = NonNullable<AgentListInput['sort']>;
export type AgentStatusFilter = NonNullable<AgentListInput['status']>;

export const AGENTS_PAGE_SIZE = 50;

export const agentKeys = {
  all: ['agents'] as const,
  lists: () => [...agentKeys.all, 'list'] as const,
  list: (input: AgentListInput) => [...agentKeys.lists(), input] as const,
  details: () => [...agentKeys.all, 'detail'] as const,
  detail: (id: string) => [...agentKeys.details(), id] as const,
};

/** One page of agents; the server pages, sorts, searches and filters, so 10,000 agents stay fast. */
export const agentsListQuery = (input: AgentListInput) =>
  queryOptions({ queryKey: agentKeys.list(input), queryFn: () => call('agents.list', input) });

export function useAgents(input: AgentListInput, enabled = true) {
  return useQuery({ ...agentsListQuery(input), placeholderData: keepPreviousData, enabled });
}

/** One agent with its assignment history. */
export function useAgent(id: string | null) {
  return useQuery({
    queryKey: agentKeys.detail(id ?? ''),
    queryFn: () => call('agents.get', { id: id ?? '' }),
    enabled: id !== null,
  });
}

/**
 * Every agent write refreshes the agent lists and details; writes that change where agents are
 * also refresh the orgs, whose agentCount moved with them, and what the agents can read.
 */
function useAgentMutation<I, O>(run: (input: I) => Promise<O>, { movesAgents }: { movesAgents: boolean }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: agentKeys.all }),
        movesAgents ? client.invalidateQueries({ queryKey: orgKeys.all }) : undefined,
        movesAgents ? client.invalidateQueries({ queryKey: knowledgeKeys.agents() }) : undefined,
        // Rates and stays are what agent fees are made of.
        client.invalidateQueries({ queryKey: billingKeys.reports() }),
      ]),
  });
}

export const useCreateAgent = () =>
  useAgentMutation((input: ChannelInput<'agents.create'>) => call('agents.create', input), {
    movesAgents: true,
  });
export const useUpdateAgent = () =>
  useAgentMutation((input: ChannelInput<'agents.update'>) => call('agents.update', input), {
    movesAgents: false,
  });
export const useAssignAgents = () =>
  useAgentMutation((input: ChannelInput<'agents.assign'>) => call('agents.assign', input), {
    movesAgents: true,
  });
export const useUnassignAgents = () =>
  useAgentMutation((input: ChannelInput<'agents.unassign'>) => call('agents.unassign', input), {
    movesAgents: true,
  });
export const useDeleteAgent = () =>
  useAgentMutation((id: string) => call('agents.delete', { id }), { movesAgents: false });

export const aliasKeys = {
  all: ['aliases'] as const,
  ofAgent: (agentId: string) => [...aliasKeys.all, agentId] as const,
};

/** The provider identities (keys, projects, workspaces, users, teams) mapped to one agent. */
export function useAgentAliases(agentId: string) {
  return useQuery({
    queryKey: aliasKeys.ofAgent(agentId),
    queryFn: () => call('aliases.list', { agentId }),
  });
}

function useAliasMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => client.invalidateQueries({ queryKey: aliasKeys.all }),
  });
}

export const useAddAlias = () =>
  useAliasMutation((input: ChannelInput<'aliases.add'>) => call('aliases.add', input));
export const useRemoveAlias = () =>
  useAliasMutation((input: ChannelInput<'aliases.remove'>) => call('aliases.remove', input));

/** Checks an agent CSV (dryRun) or imports it, all or none; an import refreshes what agents touch. */
export const useImportAgents = () =>
  useAgentMutation((input: ChannelInput<'agents.import'>) => call('agents.import', input), {
    movesAgents: true,
  });

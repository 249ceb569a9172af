import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { call } from '../../api/client';
import type { SharingCall } from './sharing';

export const knowledgeKeys = {
  all: ['knowledge'] as const,
  list: (orgId: string) => [...knowledgeKeys.all, 'list', orgId] as const,
  doc: (id: string) => [...knowledgeKeys.all, 'doc', id] as const,
  /** orgId null: every org the session sees. */
  search: (orgId: string | null, query: string) =>
    [...knowledgeKeys.all, 'search', orgId ?? 'all', query] as const,
  overview: () => [...knowledgeKeys.all, 'overview'] as const,
  /** What agents see: also refreshed when agents move, since that changes it too. */
  agents: () => [...knowledgeKeys.all, 'agent'] as const,
  agent: (agentId: string) => [...knowledgeKeys.agents(), agentId] as const,
};

/** An org's own documents and the owner org's documents shared with it. */
export function useKnowledgeList(orgId: string) {
  return useQuery({ queryKey: knowledgeKeys.list(orgId), queryFn: () => call('knowledge.list', { orgId }) });
}

export function useKnowledgeDoc(id: string | null) {
  return useQuery({
    queryKey: knowledgeKeys.doc(id ?? ''),
    queryFn: () => call('knowledge.get', { id: id ?? '' }),
    enabled: id !== null,
  });
}

/** The most matches one search shows. */
export const SEARCH_LIMIT = 20;

/** Ranked matches among what the org may see; the previous results stay while the next load. */
/** One org's knowledge and what is shared with it; with orgId null, every org's the session sees. */
export function useKnowledgeSearch(orgId: string | null, query: string) {
  return useQuery({
    queryKey: knowledgeKeys.search(orgId, query),
    queryFn: () =>
      call(
        'knowledge.search',
        orgId ? { orgId, query, limit: SEARCH_LIMIT } : { query, limit: SEARCH_LIMIT },
      ),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });
}

export const knowledgeOverviewQuery = queryOptions({
  queryKey: knowledgeKeys.overview(),
  queryFn: () => call('knowledge.overview', {}),
});

export function useKnowledgeOverview() {
  return useQuery(knowledgeOverviewQuery);
}

export function useAgentKnowledge(agentId: string) {
  return useQuery({
    queryKey: knowledgeKeys.agent(agentId),
    queryFn: () => call('knowledge.visibleToAgent', { agentId }),
  });
}

/**
 * A document's change can reach every view: its org's list, the lists and searches of the orgs it
 * is shared with, the overview's counts and what agents see. So every write refreshes all of them,
 * even a refused one: a sharing change is several calls, and those before the refusal took effect.
 */
function useKnowledgeMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => client.invalidateQueries({ queryKey: knowledgeKeys.all }),
  });
}

export const useAddDocument = () =>
  useKnowledgeMutation((input: ChannelInput<'knowledge.add'>) => call('knowledge.add', input));
export const useUpdateDocument = () =>
  useKnowledgeMutation((input: ChannelInput<'knowledge.update'>) => call('knowledge.update', input));
export const useMoveDocument = () =>
  useKnowledgeMutation((input: ChannelInput<'knowledge.move'>) => call('knowledge.move', input));

/**
 * Like the other writes, except for the deleted document itself: refetched, it would fail and
 * unmount the drawer showing it before the caller's success handler could close that drawer.
 */
export function useDeleteDocument() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('knowledge.delete', { id }),
    onSuccess: (_deleted, id) => {
      const gone = JSON.stringify(knowledgeKeys.doc(id));
      return client.invalidateQueries({
        queryKey: knowledgeKeys.all,
        predicate: (query) => JSON.stringify(query.queryKey) !== gone,
      });
    },
  });
}

/** Applies the share and unshare calls of a sharing change in order; resolves with the document as it ends. */
export const useSetSharing = () =>
  useKnowledgeMutation(async (calls: SharingCall[]) => {
    let doc: KnowledgeDoc | null = null;
    for (const [name, input] of calls) doc = await call(name, input);
    return doc;
  });

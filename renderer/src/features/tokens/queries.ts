import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';

export const tokenKeys = {
  all: ['tokens'] as const,
  /** null: the signed-in user's own tokens. */
  list: (userId: string | null) => [...tokenKeys.all, 'list', userId] as const,
};

export const tokensQuery = (userId: string | null) =>
  queryOptions({
    queryKey: tokenKeys.list(userId),
    queryFn: () => call('tokens.list', userId ? { userId } : {}),
  });

export function useTokens(userId: string | null) {
  return useQuery(tokensQuery(userId));
}

function useTokenMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export const useCreateToken = () =>
  useTokenMutation((input: ChannelInput<'tokens.create'>) => call('tokens.create', input));
export const useRevokeToken = () => useTokenMutation((id: string) => call('tokens.revoke', { id }));

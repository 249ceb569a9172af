import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';

export const orgKeys = {
  all: ['orgs'] as const,
  list: (search: string) => [...orgKeys.all, 'list', search] as const,
};

export function useOrgs(search: string) {
  return useQuery({
    queryKey: orgKeys.list(search),
    queryFn: () => call('orgs.list', search ? { search } : {}),
    placeholderData: keepPreviousData,
  });
}

export function useCreateOrg() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'orgs.create'>) => call('orgs.create', input),
    onSuccess: () => client.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

export function useRenameOrg() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'orgs.rename'>) => call('orgs.rename', input),
    onSuccess: () => client.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

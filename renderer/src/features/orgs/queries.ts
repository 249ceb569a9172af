import {
  keepPreviousData,
  type QueryKey,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { userKeys } from '../users/queries';

export type StatusFilter = NonNullable<ChannelInput<'orgs.list'>['status']>;

export const orgKeys = {
  all: ['orgs'] as const,
  list: (search: string, status: StatusFilter) => [...orgKeys.all, 'list', status, search] as const,
  detail: (id: string) => [...orgKeys.all, 'detail', id] as const,
};

export const orgsListQuery = (search: string, status: StatusFilter = 'current') =>
  queryOptions({
    queryKey: orgKeys.list(search, status),
    queryFn: () => call('orgs.list', search ? { search, status } : { status }),
  });

export function useOrgs(search: string, status: StatusFilter = 'current') {
  return useQuery({ ...orgsListQuery(search, status), placeholderData: keepPreviousData });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One org by its slug (`#/orgs/acme-logistics`) or, for older links, its id. */
export const orgQuery = (ref: string) =>
  queryOptions({
    queryKey: orgKeys.detail(ref),
    queryFn: () => call('orgs.get', UUID.test(ref) ? { id: ref } : { slug: ref }),
  });

export function useOrg(ref: string) {
  return useQuery(orgQuery(ref));
}

/**
 * An org write refreshes the orgs and what else shows them: by default users, who show their
 * org's name and lose their sessions with it.
 */
export function useOrgMutation<I, O>(
  run: (input: I) => Promise<O>,
  alsoRefresh: readonly QueryKey[] = [userKeys.all],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () =>
      Promise.all([orgKeys.all, ...alsoRefresh].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export const useCreateOrg = () =>
  useOrgMutation((input: ChannelInput<'orgs.create'>) => call('orgs.create', input));
export const useRenameOrg = () =>
  useOrgMutation((input: ChannelInput<'orgs.rename'>) => call('orgs.rename', input));
export const useDeactivateOrg = () => useOrgMutation((id: string) => call('orgs.deactivate', { id }));
export const useActivateOrg = () => useOrgMutation((id: string) => call('orgs.activate', { id }));
export const useDeleteOrg = () =>
  useOrgMutation((input: ChannelInput<'orgs.delete'>) => call('orgs.delete', input));
export const useRestoreOrg = () => useOrgMutation((id: string) => call('orgs.restore', { id }));

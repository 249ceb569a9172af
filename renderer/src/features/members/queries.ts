import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { userKeys } from '../users/queries';

export const memberKeys = {
  all: ['members'] as const,
  ofOrg: (orgId: string) => [...memberKeys.all, 'org', orgId] as const,
};

export function useMembers(orgId: string) {
  return useQuery({ queryKey: memberKeys.ofOrg(orgId), queryFn: () => call('members.list', { orgId }) });
}

/** Memberships show on the Users page too: both lists are read again after a change. */
function useMemberMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: memberKeys.all }),
        client.invalidateQueries({ queryKey: userKeys.all }),
      ]),
  });
}

export const usePutMember = () =>
  useMemberMutation((input: ChannelInput<'members.put'>) => call('members.put', input));
export const useRemoveMember = () =>
  useMemberMutation((input: ChannelInput<'members.remove'>) => call('members.remove', input));
export const useCreateInvite = () =>
  useMemberMutation((input: ChannelInput<'invites.create'>) => call('invites.create', input));

/** Leaving an org changes what every list shows the user: everything is read again. */
export function useLeaveOrg() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) => call('members.leave', { orgId }),
    onSuccess: () => client.invalidateQueries(),
  });
}

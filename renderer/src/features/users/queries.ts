import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { sessionKeys } from '../session/queries';

export const userKeys = {
  all: ['users'] as const,
  list: (search: string) => [...userKeys.all, 'list', search] as const,
};

export const usersQuery = (search: string) =>
  queryOptions({
    queryKey: userKeys.list(search),
    queryFn: () => call('users.list', search ? { search } : {}),
  });

export function useUsers(search: string) {
  return useQuery({ ...usersQuery(search), placeholderData: keepPreviousData });
}

/** A write to users may be a write to the signed-in user (their name, role or ownership), so the session is refreshed too. */
function useUserMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: userKeys.all }),
        client.invalidateQueries({ queryKey: sessionKeys.all }),
      ]),
  });
}

export const useCreateUser = () =>
  useUserMutation((input: ChannelInput<'users.create'>) => call('users.create', input));
export const useUpdateUser = () =>
  useUserMutation((input: ChannelInput<'users.update'>) => call('users.update', input));
export const useDisableUser = () => useUserMutation((id: string) => call('users.disable', { id }));
export const useEnableUser = () => useUserMutation((id: string) => call('users.enable', { id }));
export const useResetPassword = () =>
  useUserMutation((input: ChannelInput<'users.resetPassword'>) => call('users.resetPassword', input));
export const useDeleteUser = () => useUserMutation((id: string) => call('users.delete', { id }));
export const useTransferOwnership = () =>
  useUserMutation((userId: string) => call('ownership.transfer', { userId }));
export const useResetTwoFactor = () =>
  useUserMutation((userId: string) => call('twoFactor.reset', { userId }));

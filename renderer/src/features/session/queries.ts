import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract';
import { call } from '../../api/client';

export const sessionKeys = {
  all: ['session'] as const,
  current: () => [...sessionKeys.all, 'current'] as const,
};

export function useCurrentSession() {
  return useQuery({
    queryKey: sessionKeys.current(),
    queryFn: () => call('session.current', {}),
    staleTime: 60_000,
  });
}

/** After signing in or out, nothing cached for the previous user may stay on screen. */
function useSessionChange() {
  const client = useQueryClient();
  return (data: ChannelOutput<'session.current'>) => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
    client.setQueryData(sessionKeys.current(), data);
  };
}

export function useSignIn() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: (input: ChannelInput<'session.signIn'>) => call('session.signIn', input),
    onSuccess: ({ user }) => changed({ user, needsSetup: false, setupCodeRequired: false }),
  });
}

export function useSetup() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: (input: ChannelInput<'setup.init'>) => call('setup.init', input),
    onSuccess: ({ user }) => changed({ user, needsSetup: false, setupCodeRequired: false }),
  });
}

export function useSignOut() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: () => call('session.signOut', {}),
    onSettled: () => changed({ user: null, needsSetup: false, setupCodeRequired: false }),
  });
}

/**
 * Ends every session and revokes every API token of a user: yourself (then this session is gone
 * too), or, for owners and admins, someone else.
 */
export function useSignOutEverywhere() {
  const changed = useSessionChange();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string | null) => call('session.signOutEverywhere', userId ? { userId } : {}),
    onSuccess: (_ended, userId) => {
      if (userId === null) changed({ user: null, needsSetup: false, setupCodeRequired: false });
      else void client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { sessionKeys } from '../session/queries';

export const connectionKeys = {
  all: ['connection'] as const,
  status: () => [...connectionKeys.all, 'status'] as const,
  profiles: () => [...connectionKeys.all, 'profiles'] as const,
};

/** Polled quickly while offline, so the banner goes away soon after the server is back. */
export function useConnectionStatus() {
  return useQuery({
    queryKey: connectionKeys.status(),
    queryFn: () => call('connection.status', {}),
    refetchInterval: (query) => (query.state.data && !query.state.data.online ? 2_000 : 30_000),
    staleTime: 0,
  });
}

export function useConnectionProfiles() {
  return useQuery({ queryKey: connectionKeys.profiles(), queryFn: () => call('connection.profiles', {}) });
}

const KEPT = new Set<unknown>([connectionKeys.all[0], sessionKeys.all[0]]);

/**
 * A new profile is a new workspace: nothing loaded for the previous one may stay on screen. Who is
 * signed in is asked again in the background (the page stays mounted meanwhile).
 */
function useWorkspaceChange() {
  const client = useQueryClient();
  return () => {
    client.removeQueries({ predicate: (query) => !KEPT.has(query.queryKey[0]) });
    void client.invalidateQueries({ predicate: (query) => KEPT.has(query.queryKey[0]) });
  };
}

export function useAddProfile() {
  const changed = useWorkspaceChange();
  return useMutation({
    mutationFn: (input: ChannelInput<'connection.addProfile'>) => call('connection.addProfile', input),
    onSuccess: changed,
  });
}

export function useSwitchProfile() {
  const changed = useWorkspaceChange();
  return useMutation({
    mutationFn: (id: string) => call('connection.switch', { id }),
    onSuccess: changed,
  });
}

export function useKeepForSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call('connection.keepForSession', {}),
    onSuccess: (status) => client.setQueryData(connectionKeys.status(), status),
  });
}

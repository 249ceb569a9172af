import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract';
import { PAGE_SESSION_ID } from '../../../../shared/contract/page-session';
import { call } from '../../api/client';

export const sessionKeys = {
  all: ['session'] as const,
  current: () => [...sessionKeys.all, 'current'] as const,
};

export const currentSessionQuery = queryOptions({
  queryKey: sessionKeys.current(),
  queryFn: () => call('session.current', {}),
  staleTime: 60_000,
});

export function useCurrentSession() {
  return useQuery(currentSessionQuery);
}

/**
 * The session `orgdeck serve` wrote into the page for its cookie (none in the desktop app). Taken
 * once: from then on the session is the API's to tell.
 */
export function takePageSession(): ChannelOutput<'session.current'> | null {
  const block = document.getElementById(PAGE_SESSION_ID);
  block?.remove();
  if (!block?.textContent) return null;
  try {
    return JSON.parse(block.textContent) as ChannelOutput<'session.current'>;
  } catch {
    return null;
  }
}

/**
 * Whether the signed-in user has a second factor. Outside the session's keys, so a change of user
 * drops it; fetched afresh whenever a form that needs it opens.
 */
export function useTwoFactorStatus() {
  return useQuery({ queryKey: ['twoFactor', 'status'], queryFn: () => call('twoFactor.status', {}) });
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

export function useAcceptInvite() {
  const changed = useSessionChange();
  return useMutation({
    mutationFn: (input: ChannelInput<'invites.accept'>) => call('invites.accept', input),
    onSuccess: ({ user }) => {
      // The invite link has done its work: the console opens at its start page.
      window.location.hash = '';
      changed({ user, needsSetup: false, setupCodeRequired: false });
    },
  });
}

/** Once enrolled, the session's "must enrol first" lifts: read the session again. */
export function useTwoFactorEnrolment() {
  const client = useQueryClient();
  return {
    begin: useMutation({ mutationFn: () => call('twoFactor.begin', {}) }),
    confirm: useMutation({
      mutationFn: (code: string) => call('twoFactor.confirm', { code }),
    }),
    done: () => client.invalidateQueries({ queryKey: sessionKeys.all }),
  };
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

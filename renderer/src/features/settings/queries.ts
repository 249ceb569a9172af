import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';

export const settingsKeys = {
  all: ['settings'] as const,
  current: () => [...settingsKeys.all, 'current'] as const,
};

export const settingsQuery = queryOptions({
  queryKey: settingsKeys.current(),
  queryFn: () => call('settings.get', {}),
});

export function useSettings() {
  return useQuery(settingsQuery);
}

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'settings.update'>) => call('settings.update', input),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}

export const logoQuery = queryOptions({
  queryKey: [...settingsKeys.all, 'logo'],
  queryFn: () => call('settings.logo', {}),
});

export function useLogo() {
  return useQuery(logoQuery);
}

export function useSetLogo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (base64: string | null) => call('settings.setLogo', { base64 }),
    onSuccess: (result) => client.setQueryData(logoQuery.queryKey, result),
  });
}

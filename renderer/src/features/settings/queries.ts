import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';

export const settingsKeys = {
  all: ['settings'] as const,
  current: () => [...settingsKeys.all, 'current'] as const,
};

export function useSettings() {
  return useQuery({ queryKey: settingsKeys.current(), queryFn: () => call('settings.get', {}) });
}

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'settings.update'>) => call('settings.update', input),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}

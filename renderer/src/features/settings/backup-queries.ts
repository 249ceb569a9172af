import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';
import { sessionKeys } from '../session/queries';

export const backupKeys = {
  all: ['backups'] as const,
  list: () => [...backupKeys.all, 'list'] as const,
};

export const backupsQuery = queryOptions({
  queryKey: backupKeys.list(),
  queryFn: () => call('backups.list', {}),
});

export function useBackups() {
  return useQuery(backupsQuery);
}

export function useCreateBackup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call('backups.create', {}),
    onSuccess: () => client.invalidateQueries({ queryKey: backupKeys.all }),
  });
}

/** A restore replaces every record and ends every session: nothing cached may stay, and the user signs in again. */
export function useRestoreBackup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: string) => call('backups.restore', { file }),
    onSuccess: () => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
      return client.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { billingKeys } from './queries';

const ALL = 'all';

export const statementKeys = {
  all: [...billingKeys.all, 'statements'] as const,
  list: (org?: string) => [...statementKeys.all, 'list', org ?? ALL] as const,
  view: (number: string) => [...statementKeys.all, 'view', number] as const,
  /** Computed from usage, prices and rates: what an import or a price change refreshes (billingKeys.reports). */
  pending: (org?: string) => [...billingKeys.reports(), 'pending', org ?? ALL] as const,
  usage: (month: string, org: string) => [...billingKeys.reports(), 'org-usage', month, org] as const,
};

export function useStatements(org?: string) {
  return useQuery({
    queryKey: statementKeys.list(org),
    queryFn: () => call('statements.list', org ? { org } : {}),
  });
}

export function useStatementView(number: string | null) {
  return useQuery({
    queryKey: statementKeys.view(number ?? ''),
    queryFn: () => call('statements.view', { number: number as string }),
    enabled: number !== null,
    // Issued statements never change.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function usePendingAdjustments(org?: string, enabled = true) {
  return useQuery({
    queryKey: statementKeys.pending(org),
    queryFn: () => call('statements.pending', org ? { org } : {}),
    enabled,
  });
}

export function useOrgUsage(month: string, org: string | undefined) {
  return useQuery({
    queryKey: statementKeys.usage(month, org ?? ''),
    queryFn: () => call('statements.usage', { month, org: org as string }),
    enabled: org !== undefined,
  });
}

/** Closing or voiding changes the list and what is still pending. */
function useRefreshStatements() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: statementKeys.all }),
      client.invalidateQueries({ queryKey: billingKeys.reports() }),
    ]);
}

export function useCloseMonth() {
  const refresh = useRefreshStatements();
  return useMutation({
    mutationFn: (input: ChannelInput<'statements.close'>) => call('statements.close', input),
    onSuccess: refresh,
  });
}

export function useVoidStatement() {
  const refresh = useRefreshStatements();
  return useMutation({
    mutationFn: (input: ChannelInput<'statements.void'>) => call('statements.void', input),
    onSuccess: refresh,
  });
}

/** Fetches an issued statement's file and hands it to the browser. */
export function useDownloadStatement() {
  return useMutation({
    mutationFn: (input: ChannelInput<'statements.file'>) => call('statements.file', input),
  });
}

import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';

export type AuditListInput = ChannelInput<'audit.list'>;

export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (input: AuditListInput) => [...auditKeys.lists(), input] as const,
  actions: () => [...auditKeys.all, 'actions'] as const,
  verify: () => [...auditKeys.all, 'verify'] as const,
};

// Every write anywhere adds entries: the trail is read afresh whenever it is shown (staleTime 0)
// rather than invalidated by each feature's mutations.

/** One page of entries, newest first; the server filters and pages. */
export const auditListQuery = (input: AuditListInput) =>
  queryOptions({ queryKey: auditKeys.list(input), queryFn: () => call('audit.list', input), staleTime: 0 });

export function useAuditEntries(input: AuditListInput, enabled: boolean) {
  return useQuery({ ...auditListQuery(input), placeholderData: keepPreviousData, enabled });
}

export const auditActionsQuery = queryOptions({
  queryKey: auditKeys.actions(),
  queryFn: () => call('audit.actions', {}),
  staleTime: 0,
});

export function useAuditActions() {
  return useQuery(auditActionsQuery);
}

/** The hash chain's check; only owners and admins may ask. */
export function useAuditVerify(enabled: boolean) {
  return useQuery({
    queryKey: auditKeys.verify(),
    queryFn: () => call('audit.verify', {}),
    staleTime: 0,
    enabled,
  });
}

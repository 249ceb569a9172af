import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { arrivedBeforeThisPage } from '../../app/routes';

export type AuditListInput = ChannelInput<'audit.list'>;

export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (input: AuditListInput) => [...auditKeys.lists(), input] as const,
  actions: () => [...auditKeys.all, 'actions'] as const,
  verify: () => [...auditKeys.all, 'verify'] as const,
};

// Every write anywhere adds entries: the trail is read afresh whenever a page shows it (stale at
// once) rather than invalidated by each feature's mutations; but not again when the answer arrived
// since the page was opened: a cold start asks for the page's entries while its code loads
// (route-data.ts), and the page would otherwise ask again as it mounts and draw its rows twice.
const FRESH = { staleTime: 0, refetchOnMount: arrivedBeforeThisPage } as const;

/** One page of entries, newest first; the server filters and pages. */
export const auditListQuery = (input: AuditListInput) =>
  queryOptions({
    queryKey: auditKeys.list(input),
    queryFn: () => call('audit.list', input),
    ...FRESH,
  });

export function useAuditEntries(input: AuditListInput, enabled: boolean) {
  return useQuery({ ...auditListQuery(input), placeholderData: keepPreviousData, enabled });
}

export const auditActionsQuery = queryOptions({
  queryKey: auditKeys.actions(),
  queryFn: () => call('audit.actions', {}),
  ...FRESH,
});

export function useAuditActions() {
  return useQuery(auditActionsQuery);
}

/** The hash chain's check; only owners and admins may ask. */
export const auditVerifyQuery = queryOptions({
  queryKey: auditKeys.verify(),
  queryFn: () => call('audit.verify', {}),
  ...FRESH,
});

export function useAuditVerify(enabled: boolean) {
  return useQuery({ ...auditVerifyQuery, enabled });
}

import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import { billingKeys } from '../billing/queries';

export const homeKeys = {
  /** Under the billing reports: an import, a price or a rate that changes them changes this too. */
  attention: (month: string, orgId: string | undefined) =>
    [...billingKeys.reports(), 'attention', month, { orgId }] as const,
};

/** A month's figures that need a look, for one org or every org, worked out by the server. */
export const attentionQuery = (month: string, orgId: string | undefined) =>
  queryOptions({
    queryKey: homeKeys.attention(month, orgId),
    queryFn: () => call('home.attention', orgId ? { month, org: orgId } : { month }),
  });

export function useAttention(month: string, orgId: string | undefined, enabled: boolean) {
  return useQuery({ ...attentionQuery(month, orgId), placeholderData: keepPreviousData, enabled });
}

import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import { billingKeys } from '../billing/queries';

export const homeKeys = {
  /** Under the billing reports: an import, a price or a rate that changes them changes this too. */
  attention: (month: string) => [...billingKeys.reports(), 'attention', month] as const,
};

/** A month's figures that need a look, worked out by the server. */
export const attentionQuery = (month: string) =>
  queryOptions({ queryKey: homeKeys.attention(month), queryFn: () => call('home.attention', { month }) });

export function useAttention(month: string) {
  return useQuery({ ...attentionQuery(month), placeholderData: keepPreviousData });
}

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ChannelInput } from '../../../../shared/contract';
import type { ImportJob } from '../../../../shared/contract/billing';
import { call } from '../../api/client';
import { orgKeys, useOrgMutation } from '../orgs/queries';

const ALL = 'all';

export const billingKeys = {
  all: ['billing'] as const,
  /** Everything computed from usage, prices and orgs: what a finished import or a new price changes. */
  reports: () => [...billingKeys.all, 'reports'] as const,
  margins: (month: string, org?: string) => [...billingKeys.reports(), 'margins', month, org ?? ALL] as const,
  trend: (month: string, org?: string) => [...billingKeys.reports(), 'trend', month, org ?? ALL] as const,
  agent: (month: string, agentId: string) => [...billingKeys.reports(), 'agent', month, agentId] as const,
  prices: () => [...billingKeys.all, 'prices'] as const,
  jobs: () => [...billingKeys.all, 'jobs'] as const,
  job: (id: string) => [...billingKeys.all, 'job', id] as const,
  terms: (orgId: string) => [...billingKeys.all, 'terms', orgId] as const,
};

/** An org's rates, billing mode and usage terms with their history. */
export const orgBillingTermsQuery = (orgId: string) =>
  queryOptions({
    queryKey: billingKeys.terms(orgId),
    queryFn: () => call('orgs.billingTerms', { id: orgId }),
  });

export function useOrgBillingTerms(orgId: string, enabled = true) {
  return useQuery({ ...orgBillingTermsQuery(orgId), enabled });
}

/** Dated terms change the org, its history and every report: all refresh. */
const useTermsMutation = <I, O>(run: (input: I) => Promise<O>) => useOrgMutation(run, [billingKeys.all]);

export const useUpdateOrgTerms = () =>
  useTermsMutation((input: ChannelInput<'orgs.update'>) => call('orgs.update', input));
export const useSetModelMarkup = () =>
  useTermsMutation((input: ChannelInput<'orgs.setModelMarkup'>) => call('orgs.setModelMarkup', input));

export const marginsQuery = (month: string, org?: string) =>
  queryOptions({
    queryKey: billingKeys.margins(month, org),
    queryFn: () => call('billing.margins', org ? { month, org } : { month }),
  });

export function useMargins(month: string, org?: string, enabled = true) {
  return useQuery({ ...marginsQuery(month, org), placeholderData: keepPreviousData, enabled });
}

export const trendQuery = (month: string, org?: string) =>
  queryOptions({
    queryKey: billingKeys.trend(month, org),
    queryFn: () => call('billing.trend', org ? { month, org, months: 12 } : { month, months: 12 }),
  });

export function useTrend(month: string, org?: string) {
  return useQuery({ ...trendQuery(month, org), placeholderData: keepPreviousData });
}

export function useAgentMonth(month: string, agentId: string | null) {
  return useQuery({
    queryKey: billingKeys.agent(month, agentId ?? ''),
    queryFn: () => call('billing.agent', { month, agentId: agentId as string }),
    enabled: agentId !== null,
  });
}

export const pricesQuery = queryOptions({
  queryKey: billingKeys.prices(),
  queryFn: () => call('prices.list', {}),
});

export function usePrices(enabled = true) {
  return useQuery({ ...pricesQuery, enabled });
}

/** A price changes the cost of usage already imported, so reports refresh with the price list. */
function useRefreshAfterPrices() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: billingKeys.prices() }),
      client.invalidateQueries({ queryKey: billingKeys.reports() }),
    ]);
}

export function useSetPrice() {
  const refresh = useRefreshAfterPrices();
  return useMutation({
    mutationFn: (input: ChannelInput<'prices.set'>) => call('prices.set', input),
    onSuccess: refresh,
  });
}

export function usePreviewLitellm() {
  return useMutation({
    mutationFn: (input: ChannelInput<'prices.previewLitellm'>) => call('prices.previewLitellm', input),
  });
}

export function useImportLitellm() {
  const refresh = useRefreshAfterPrices();
  return useMutation({
    mutationFn: (input: ChannelInput<'prices.importLitellm'>) => call('prices.importLitellm', input),
    onSuccess: refresh,
  });
}

/** The budget lives on the org, and the reports carry its state: both refresh. */
export function useUpdateBudget() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; budget?: string | null; alertThresholds?: number[] }) =>
      call('orgs.update', input),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: orgKeys.all }),
        client.invalidateQueries({ queryKey: billingKeys.reports() }),
      ]),
  });
}

export const jobsQuery = queryOptions({ queryKey: billingKeys.jobs(), queryFn: () => call('jobs.list', {}) });

export function useJobs(enabled = true) {
  return useQuery({
    ...jobsQuery,
    enabled,
    refetchInterval: (query) => (query.state.data?.some((job) => job.status === 'running') ? 2000 : false),
  });
}

const POLL_MS = 500;

/** One import job, polled every half second while it runs; reports and the job list refresh when it ends. */
export function useJob(id: string | null) {
  const client = useQueryClient();
  const job = useQuery({
    queryKey: billingKeys.job(id ?? ''),
    queryFn: () => call('jobs.get', { id: id as string }),
    enabled: id !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? POLL_MS : false),
  });
  const settled = useRef<string | null>(null);
  const status: ImportJob['status'] | undefined = job.data?.status;
  useEffect(() => {
    if (!id || !status || status === 'running' || settled.current === id) return;
    settled.current = id;
    void client.invalidateQueries({ queryKey: billingKeys.reports() });
    void client.invalidateQueries({ queryKey: billingKeys.jobs() });
  }, [client, id, status]);
  return job;
}

/** Takes an import's rows back out: every report, the job and the job list change. */
export function useUndoImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => call('usage.undo', { jobId }),
    onSuccess: (job) => {
      client.setQueryData(billingKeys.job(job.id), job);
      return Promise.all([
        client.invalidateQueries({ queryKey: billingKeys.reports() }),
        client.invalidateQueries({ queryKey: billingKeys.jobs() }),
      ]);
    },
  });
}

import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';

export const policyKeys = {
  all: ['policies'] as const,
  lists: () => [...policyKeys.all, 'list'] as const,
  list: (orgId: string) => [...policyKeys.lists(), orgId] as const,
  /** Under the lists: any policy change refreshes it. */
  coverage: () => [...policyKeys.lists(), 'coverage'] as const,
  details: () => [...policyKeys.all, 'detail'] as const,
  detail: (id: string) => [...policyKeys.details(), id] as const,
  allDefaults: () => [...policyKeys.all, 'defaults'] as const,
  defaults: (orgId: string) => [...policyKeys.allDefaults(), orgId] as const,
};

export function usePolicies(orgId: string, enabled = true) {
  return useQuery({
    queryKey: policyKeys.list(orgId),
    queryFn: () => call('policies.list', { orgId }),
    enabled,
  });
}

/** Which kinds of policy each client org has. */
export const policyCoverageQuery = queryOptions({
  queryKey: policyKeys.coverage(),
  queryFn: () => call('policies.coverage', {}),
});

export function usePolicyCoverage(enabled: boolean) {
  return useQuery({ ...policyCoverageQuery, enabled });
}

/** One policy with every version. */
export function usePolicy(id: string | null) {
  return useQuery({
    queryKey: policyKeys.detail(id ?? ''),
    queryFn: () => call('policies.get', { id: id ?? '' }),
    enabled: id !== null,
  });
}

export function usePolicyDefaults(orgId: string) {
  return useQuery({
    queryKey: policyKeys.defaults(orgId),
    queryFn: () => call('policies.defaults', { orgId }),
  });
}

/** A write that changes policies refreshes the lists, and the policy's versions when it has some. */
function usePolicyMutation<I, O>(run: (input: I) => Promise<O>, { details }: { details: boolean }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: policyKeys.lists() }),
        details ? client.invalidateQueries({ queryKey: policyKeys.details() }) : undefined,
      ]),
  });
}

export const useCreatePolicy = () =>
  usePolicyMutation((input: ChannelInput<'policies.create'>) => call('policies.create', input), {
    details: false,
  });
export const useUpdatePolicy = () =>
  usePolicyMutation((input: ChannelInput<'policies.update'>) => call('policies.update', input), {
    details: true,
  });
export const useRestorePolicy = () =>
  usePolicyMutation((input: ChannelInput<'policies.restore'>) => call('policies.restore', input), {
    details: true,
  });
// The deleted policy's drawer closes: there are no versions left to refresh.
export const useDeletePolicy = () =>
  usePolicyMutation((id: string) => call('policies.delete', { id }), { details: false });
export const useCopyPolicy = () =>
  usePolicyMutation((input: ChannelInput<'policies.copy'>) => call('policies.copy', input), {
    details: false,
  });

export function useSetPolicyDefaults() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'policies.setDefaults'>) => call('policies.setDefaults', input),
    onSuccess: () => client.invalidateQueries({ queryKey: policyKeys.allDefaults() }),
  });
}

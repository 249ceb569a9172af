import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { billingKeys } from '../billing/queries';

/** Alerts follow the billing figures: what invalidates a report (an import, a budget) refreshes them. */
export const alertKeys = {
  open: () => [...billingKeys.reports(), 'alerts', 'open'] as const,
};

/** How often the bell asks again: the server checks hourly and after imports, any client may import. */
const REFRESH_MS = 60_000;

export function useOpenAlerts(enabled: boolean) {
  return useQuery({
    queryKey: alertKeys.open(),
    queryFn: () => call('alerts.list', { status: 'open' }),
    refetchInterval: REFRESH_MS,
    enabled,
  });
}

export const webhookKeys = {
  all: ['alert-webhook'] as const,
  settings: () => [...webhookKeys.all, 'settings'] as const,
  deliveries: () => [...webhookKeys.all, 'deliveries'] as const,
};

export const alertWebhookQuery = queryOptions({
  queryKey: webhookKeys.settings(),
  queryFn: () => call('alerts.webhook', {}),
});

export function useAlertWebhook() {
  return useQuery(alertWebhookQuery);
}

export const webhookDeliveriesQuery = queryOptions({
  queryKey: webhookKeys.deliveries(),
  queryFn: () => call('alerts.deliveries', {}),
});

export function useWebhookDeliveries() {
  return useQuery({ ...webhookDeliveriesQuery, refetchInterval: 30_000 });
}

export function useSetAlertWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'alerts.setWebhook'>) => call('alerts.setWebhook', input),
    onSuccess: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

import { afterEach, expect, it, vi } from 'vitest';
import { asServerOn } from '../fixtures/backend';
import { type BillingWorld, openBillingWorld } from '../fixtures/billing';

const NOW = '2026-12-03T12:00:00Z';
let servers: BillingWorld[] = [];
afterEach(() => {
  for (const server of servers) server.cleanup();
  servers = [];
});

it('is resolved once, with one "resolved" webhook event, when two servers check it at the same time', async () => {
  // Two servers on one store: on PostgreSQL one database, on SQLite one data directory.
  const first = openBillingWorld(NOW, { alerts: { webhookBackoffMs: 3_600_000 } });
  servers.push(first);
  const second = openBillingWorld(NOW, { dataDir: first.dataDir, alerts: { webhookBackoffMs: 3_600_000 } });
  servers.push(second);
  // An org with nothing spent this month, and an alert at 80 % of its budget still open from earlier:
  // the next check resolves it.
  const org = await first.call('orgs.create', { name: 'Acme', slug: 'acme', rate: '30.00', budget: '10.00' });
  await first.call('alerts.setWebhook', {
    url: 'http://127.0.0.1:9/hooks/orgdeck',
    secret: 'a-long-shared-secret-for-tests',
  });
  await asServerOn(first.backend, () =>
    first.backend.store.budgetAlerts.raise({
      org_id: org.id,
      month: '2026-12',
      threshold: 80,
      kind: 'actual',
      budget_use: '0.85',
      reached_on: null,
      raised_at: '2026-12-02T09:00:00.000Z',
    }),
  );

  // The second server read the alert open just before the first resolved it.
  const openBefore = await asServerOn(second.backend, () =>
    second.backend.store.budgetAlerts.ofMonth('2026-12'),
  );
  expect(openBefore.map((alert) => alert.resolved_at)).toEqual([null]);
  await expect(first.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 1, open: 0 });
  vi.spyOn(second.backend.store.budgetAlerts, 'ofMonth').mockReturnValueOnce(openBefore);
  await expect(second.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 0, open: 0 });

  const deliveries = await first.call('alerts.deliveries', {});
  expect(deliveries.map((delivery) => delivery.event)).toEqual(['resolved']);
  const [alert] = await first.call('alerts.list', { status: 'all' });
  expect(alert?.resolved_at).toBeTruthy();
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { asEveryOrg } from '../fixtures/backend';
import { type BillingWorld, csvOf, openBillingWorld } from '../fixtures/billing';

const NOW = '2026-12-03T12:00:00Z';
const SECRET = 'a-long-shared-secret-for-tests';
let servers: BillingWorld[] = [];
afterEach(() => {
  for (const server of servers) server.cleanup();
  servers = [];
});

/**
 * Two servers on one store (on PostgreSQL one database, on SQLite one data directory), with an org
 * whose budget is $10.00 and a webhook that queues each alert event (its deliveries wait an hour).
 */
async function twoServers() {
  const options = { alerts: { webhookBackoffMs: 3_600_000 } };
  const first = openBillingWorld(NOW, options);
  servers.push(first);
  const second = openBillingWorld(NOW, { ...options, dataDir: first.dataDir });
  servers.push(second);
  const org = await first.call('orgs.create', { name: 'Acme', slug: 'acme', rate: '30.00', budget: '10.00' });
  await first.call('alerts.setWebhook', { url: 'http://127.0.0.1:9/hooks/orgdeck', secret: SECRET });
  return { first, second, org };
}

/** What a server's check reads of the month's alerts, to hand it later as if read at this moment. */
const readByCheck = (server: BillingWorld) =>
  asEveryOrg(server.backend, () => server.backend.store.budgetAlerts.ofMonth('2026-12'));

describe('a budget alert checked by two servers at the same time', () => {
  it('is resolved once, with one "resolved" webhook event', async () => {
    const { first, second, org } = await twoServers();
    // Nothing spent this month, and an alert at 80 % still open from earlier: a check resolves it.
    await asEveryOrg(first.backend, () =>
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
    const openBefore = await readByCheck(second);
    expect(openBefore.map((alert) => alert.resolved_at)).toEqual([null]);
    await expect(first.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 1, open: 0 });
    vi.spyOn(second.backend.store.budgetAlerts, 'ofMonth').mockReturnValueOnce(openBefore);
    await expect(second.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 0, open: 0 });

    const deliveries = await first.call('alerts.deliveries', {});
    expect(deliveries.map((delivery) => delivery.event)).toEqual(['resolved']);
    const [alert] = await first.call('alerts.list', { status: 'all' });
    expect(alert?.resolved_at).toBeTruthy();
  });

  it('is raised once, with one "raised" webhook event', async () => {
    const { first, second, org } = await twoServers();
    await first.call('prices.set', { model: 'gpt-4o', input: '2.50', output: '10.00', from: '2026-01-01' });
    const agent = await first.call('agents.create', { name: 'Alpha', handle: 'alpha' });
    await first.call('agents.assign', { agentIds: [agent.id], orgId: org.id, at: '2026-11-01T00:00:00Z' });

    // The second server read no alert just before the first one's check, after an import of
    // $9.00 (90 % of the budget), raised the actual 80 % one.
    const noneBefore = await readByCheck(second);
    expect(noneBefore).toEqual([]);
    const usage = { agent: 'alpha', model: 'gpt-4o', input_tokens: 3_600_000, output_tokens: 0 };
    await first.importText('usage.csv', csvOf([{ timestamp: '2026-12-01T09:00:00Z', ...usage }]));
    const raised = await first.call('alerts.list', {});
    expect(raised.map((alert) => `${alert.kind} ${alert.threshold}`)).toContain('actual 80');
    vi.spyOn(second.backend.store.budgetAlerts, 'ofMonth').mockReturnValueOnce(noneBefore);
    await expect(second.call('alerts.check', {})).resolves.toMatchObject({ raised: 0 });

    const deliveries = await first.call('alerts.deliveries', {});
    expect(deliveries.map((delivery) => delivery.event)).toEqual(raised.map(() => 'raised'));
    expect(await first.call('alerts.list', {})).toEqual(raised);
  });
});

import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import { MAX_ATTEMPTS } from '../../electron/backend/services/alerts-service';
import { LOCAL_OWNER, type Principal } from '../../electron/backend/services/principal';
import { TOTP_KEY_FILE } from '../../electron/backend/services/totp-seal';
import type { BudgetAlert } from '../../shared/contract/alerts';
import { type BillingWorld, csvOf, openBillingWorld } from '../fixtures/billing';

// gpt-4o at $2.50 per 1M input tokens: 1M input tokens cost $2.50.
const M = 1_000_000;
let world: BillingWorld | undefined;
afterEach(() => {
  vi.useRealTimers();
  world?.cleanup();
  world = undefined;
});

const as = (role: Principal['role']): CallSession => ({
  token: null,
  setToken: () => {},
  principal: { ...LOCAL_OWNER, role, label: role },
});

/** Acme, $10.00 budget, default thresholds (80 and 100 %); Alpha in it since November. */
async function acme(w: BillingWorld) {
  await w.call('prices.set', { model: 'gpt-4o', input: '2.50', output: '10.00', from: '2026-01-01' });
  const org = await w.call('orgs.create', { name: 'Acme', slug: 'acme', rate: '30.00', budget: '10.00' });
  const agent = await w.call('agents.create', { name: 'Alpha', handle: 'alpha' });
  await w.call('agents.assign', {
    agentIds: [agent.id],
    orgId: org.id,
    at: '2026-11-01T00:00:00Z',
    move: true,
  });
  return org;
}

const tokens = (day: string, millions: number) => ({
  timestamp: `${day}T09:00:00Z`,
  agent: 'alpha',
  model: 'gpt-4o',
  input_tokens: millions * M,
  output_tokens: 0,
});

const summary = (alerts: BudgetAlert[]) =>
  alerts
    .map((a) => `${a.kind} ${a.threshold} ${a.resolved_at ? 'resolved' : 'open'} ${a.reached_on ?? '-'}`)
    .sort();

describe('budget alerts', () => {
  it('are raised once per org, month, threshold and kind, and resolved when use falls back under', async () => {
    const told: BudgetAlert[] = [];
    world = openBillingWorld('2026-11-20T00:00:00Z', {
      alerts: { onBudgetAlert: (alert) => told.push(alert) },
    });
    const w = world;
    const org = await acme(w);
    w.clock.set('2026-12-03T12:00:00Z');

    // $2.50 on 1 December and $5.00 on the 2nd: $7.50, 75 % used. The run rate, $7.50 over 2 full
    // days = $3.75 a day, reaches $8 (80 %) in 0.5 / 3.75 days = 3 h 12 min, and $10 in 16 h.
    await w.importText('first.csv', csvOf([tokens('2026-12-01', 1), tokens('2026-12-02', 2)]));
    let alerts = await w.call('alerts.list', {});
    expect(summary(alerts)).toEqual(['forecast 100 open 2026-12-04', 'forecast 80 open 2026-12-03']);
    expect(alerts.find((a) => a.threshold === 100)?.message).toBe(
      'Acme will exceed its budget on Dec 4 at this pace (forecast 1143% of the December budget)',
    );
    expect(told.map((a) => a.threshold).sort()).toEqual([100, 80]);

    // Checking again changes nothing and tells no one again.
    await expect(w.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 0, open: 2 });
    expect(told).toHaveLength(2);

    // $1.00 more on the 3rd: $8.50, 85 % used. The actual 80 % alert replaces the forecast one; the
    // forecast 100 % one stays raised (no new word of it), now due at $1.50 / $3.75 = 9 h 36 min.
    const second = await w.importText('second.csv', csvOf([tokens('2026-12-03', 0.4)]));
    alerts = await w.call('alerts.list', {});
    expect(summary(alerts)).toEqual(['actual 80 open -', 'forecast 100 open 2026-12-03']);
    const actual = alerts.find((a) => a.kind === 'actual');
    expect(actual).toMatchObject({ org: { slug: 'acme' }, month: '2026-12', budget_use: 0.85 });
    expect(actual?.message).toBe('Acme: 85% of the December budget used (alert at 80%)');
    expect(told.slice(2).map((a) => `${a.kind} ${a.threshold}`)).toEqual(['actual 80']);
    // The margins report says the same.
    const report = await w.call('billing.margins', { month: '2026-12' });
    expect(report.orgs[0]).toMatchObject({
      budget_use: 0.85,
      forecast: { budget_exceeded_on: '2026-12-03' },
    });

    // Undoing the import takes use back to 75 %: the actual alert resolves, the forecast one is raised again.
    await w.call('usage.undo', { jobId: second.id });
    const all = await w.call('alerts.list', { status: 'all' });
    expect(summary(all)).toEqual([
      'actual 80 resolved -',
      'forecast 100 open 2026-12-04',
      'forecast 80 open 2026-12-03',
    ]);
    expect(all.find((a) => a.kind === 'actual')?.id).toBe(actual?.id);
    expect(summary(await w.call('alerts.list', {}))).toEqual([
      'forecast 100 open 2026-12-04',
      'forecast 80 open 2026-12-03',
    ]);

    // Thresholds are the org's: without 80 only 100 is watched; with none, nothing is open.
    await w.call('orgs.update', { id: org.id, alertThresholds: [100] });
    await w.call('alerts.check', {});
    expect(summary(await w.call('alerts.list', {}))).toEqual(['forecast 100 open 2026-12-04']);
    await w.call('orgs.update', { id: org.id, alertThresholds: [] });
    await expect(w.call('alerts.check', {})).resolves.toMatchObject({ open: 0 });
  });

  it('keep a forecast alert raised while the forecast sinks a little between imports, not raised daily', async () => {
    world = openBillingWorld('2026-11-20T00:00:00Z');
    const w = world;
    const org = await acme(w);
    // $7.50 over 1 and 2 December, $3.75 a day: on the 3rd at 01:00 the month heads for $116.09,
    // 81.75 % of a $142.00 budget, past its one threshold, 80 %.
    await w.call('orgs.update', { id: org.id, budget: '142.00', alertThresholds: [80] });
    w.clock.set('2026-12-03T01:00:00Z');
    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 1), tokens('2026-12-02', 2)]));
    expect(summary(await w.call('alerts.list', {}))).toEqual(['forecast 80 open 2026-12-31']);
    // No import all day: at 23:00 less of the month is left at that pace, $112.66, 79.34 %. Still
    // within FORECAST_RECOVERY_PERCENT (5 %) of 80 % ($107.92): the alert stays, nobody is told
    // again, and it keeps the day it was due.
    w.clock.set('2026-12-03T23:00:00Z');
    await expect(w.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 0, open: 1 });
    expect(summary(await w.call('alerts.list', {}))).toEqual(['forecast 80 open 2026-12-31']);
    // A bigger budget takes the forecast to 70.41 %, well under: resolved.
    await w.call('orgs.update', { id: org.id, budget: '160.00' });
    await expect(w.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 1, open: 0 });
    // And only past 80 % again is it raised again.
    await w.call('orgs.update', { id: org.id, budget: '142.00' });
    await expect(w.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 0, open: 0 });
    await w.call('orgs.update', { id: org.id, budget: '140.00' });
    await expect(w.call('alerts.check', {})).resolves.toEqual({ raised: 1, resolved: 0, open: 1 });
  });

  it('resolve the alerts still open when their month ends', async () => {
    world = openBillingWorld('2026-11-20T00:00:00Z');
    const w = world;
    await acme(w);
    w.clock.set('2026-11-30T12:00:00Z');
    await w.importText('usage.csv', csvOf([tokens('2026-11-29', 4)]));
    expect(summary(await w.call('alerts.list', { month: '2026-11', status: 'all' }))).toContain(
      'actual 80 open -',
    );
    w.clock.set('2026-12-01T00:30:00Z');
    const { resolved } = await w.call('alerts.check', {});
    expect(resolved).toBeGreaterThan(0);
    const november = await w.call('alerts.list', { month: '2026-11', status: 'all' });
    expect(november.length).toBeGreaterThan(0);
    expect(november.every((alert) => alert.resolved_at === '2026-12-01T00:30:00.000Z')).toBe(true);
  });

  it('are checked every hour by a long-running backend, without an import', async () => {
    vi.useFakeTimers({ toFake: ['setInterval'] });
    world = openBillingWorld('2026-11-20T00:00:00Z', { alerts: { alertSchedule: true } });
    const w = world;
    const org = await acme(w);
    w.clock.set('2026-12-03T12:00:00Z');
    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 1), tokens('2026-12-02', 2)]));
    expect(summary(await w.call('alerts.list', {}))).toHaveLength(2);

    // A smaller budget is not an import: the next hourly check finds the cost over it.
    await w.call('orgs.update', { id: org.id, budget: '7.00' });
    expect(summary(await w.call('alerts.list', {}))).not.toContain('actual 100 open -');
    vi.advanceTimersByTime(3_600_000);
    expect(summary(await w.call('alerts.list', {}))).toEqual(['actual 100 open -', 'actual 80 open -']);
  });

  it('on a zero budget, wait for a cost: nothing spent reaches nothing', async () => {
    world = openBillingWorld('2026-11-20T00:00:00Z');
    const w = world;
    const org = await acme(w);
    await w.call('orgs.update', { id: org.id, budget: '0.00' });
    w.clock.set('2026-12-03T12:00:00Z');
    await expect(w.call('alerts.check', {})).resolves.toEqual({ raised: 0, resolved: 0, open: 0 });
    await w.importText('usage.csv', csvOf([tokens('2026-12-03', 0.001)]));
    expect(summary(await w.call('alerts.list', {}))).toEqual(['actual 100 open -', 'actual 80 open -']);
  });

  it('are for those who see the MSP’s cost: owners, admins and billing admins, not client users', async () => {
    world = openBillingWorld('2026-12-03T12:00:00Z');
    for (const role of ['admin', 'billing_admin'] as const)
      await expect(world.call('alerts.list', {}, as(role))).resolves.toEqual([]);
    const refused = await world.backend.router.call('alerts.list', {}, as('user'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The webhook and its delivery log are the owner's alone.
    for (const channel of ['alerts.webhook', 'alerts.deliveries'] as const) {
      const asAdmin = await world.backend.router.call(channel, {}, as('admin'));
      expect(asAdmin, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });
});

describe('the budget alert webhook', () => {
  interface Received {
    path: string | undefined;
    headers: IncomingHttpHeaders;
    body: string;
  }
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A local server that answers 500 to the first `failures` requests, then 204. */
  async function receiver(failures: number) {
    const received: Received[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ path: request.url, headers: request.headers, body });
        response.statusCode = received.length <= failures ? 500 : 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orgdeck`, received };
  }

  /** A clock that runs (so retries come due), from 20 November, moved on by `jump`. */
  const runningClock = () => {
    let offset = Date.parse('2026-11-20T00:00:00Z') - Date.now();
    return {
      now: () => new Date(Date.now() + offset),
      jump: (to: string) => {
        offset = Date.parse(to) - Date.now();
      },
    };
  };

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('timed out');
  }

  it('POSTs each alert signed with HMAC-SHA256 of the body, retrying with backoff until it is taken', async () => {
    const { url, received } = await receiver(2);
    const secret = 'a-long-shared-secret-for-tests';
    const clock = runningClock();
    world = openBillingWorld('2026-11-20T00:00:00Z', { clock, alerts: { webhookBackoffMs: 40 } });
    const w = world;
    await acme(w);
    clock.jump('2026-12-03T12:00:00Z');
    await expect(w.call('alerts.setWebhook', { url })).rejects.toThrow(/signing secret/);
    // A password in the address would never deliver, and fetch's refusal (logged) would repeat it.
    const withPassword = url.replace('://', '://hooks:S3cret@');
    await expect(w.call('alerts.setWebhook', { url: withPassword, secret })).rejects.toThrow(
      /cannot carry a user name or password/,
    );
    await expect(w.call('alerts.setWebhook', { url, secret })).resolves.toEqual({ url, has_secret: true });
    // The secret is stored sealed, never in clear.
    expect(JSON.stringify(w.backend.store.settings.all())).not.toContain(secret);
    // The trail, which admins read, names where alerts go, not the address itself (a hook's path is its secret).
    const [changed] = (await w.call('audit.list', { action: 'settings.changed' })).items;
    expect(changed?.summary).toEqual({
      before: { alertWebhook: null },
      after: { alertWebhook: new URL(url).origin, webhookPath: 'replaced', signingSecret: 'replaced' },
    });
    expect(JSON.stringify(changed)).not.toContain(new URL(url).pathname);

    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 2), tokens('2026-12-02', 2)]));
    const log = await until(
      () => w.call('alerts.deliveries', {}),
      (rows) => rows.length > 0 && rows.every((row) => row.status !== 'pending'),
    );
    // $10.00 of $10.00 used: actual 80 and 100 raised, one delivery each. The server refused the
    // first two requests (one try of each), and took both at their second try.
    expect(log.map((row) => [row.event, row.status, row.attempts, row.last_status])).toEqual([
      ['raised', 'delivered', 2, 204],
      ['raised', 'delivered', 2, 204],
    ]);
    expect(received).toHaveLength(4);
    for (const request of received) {
      const expected = createHmac('sha256', secret).update(request.body).digest('hex');
      expect(request.headers['x-orgdeck-signature']).toBe(`sha256=${expected}`);
      expect(request.headers['content-type']).toBe('application/json');
    }
    const bodies = received.map((request) => JSON.parse(request.body));
    expect(bodies[0]).toMatchObject({
      event: 'budget_alert.raised',
      alert: { org: { slug: 'acme' }, kind: 'actual' },
    });
    expect(new Set(bodies.map((body) => body.alert.threshold))).toEqual(new Set([80, 100]));
  });

  it('waits the backoff, doubled at each retry, before trying a delivery again', async () => {
    const { url, received } = await receiver(100);
    // A clock that stands still: only the test moves it, and the backoff is a minute.
    world = openBillingWorld('2026-11-20T00:00:00Z', { alerts: { webhookBackoffMs: 60_000 } });
    const w = world;
    const org = await acme(w);
    await w.call('orgs.update', { id: org.id, alertThresholds: [50] });
    await w.call('alerts.setWebhook', { url, secret: 'another-long-shared-secret' });
    w.clock.set('2026-12-03T12:00:00Z');
    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 3)]));
    const next = async (attempts: number) =>
      (
        await until(
          () => w.call('alerts.deliveries', {}),
          (rows) => rows[0]?.attempts === attempts,
        )
      )[0]?.next_attempt_at;
    expect(await next(1)).toBe('2026-12-03T12:01:00.000Z');
    // Not due yet: nothing is sent.
    w.clock.set('2026-12-03T12:00:59.999Z');
    await w.backend.services.alerts.deliverDue();
    expect(received).toHaveLength(1);
    w.clock.set('2026-12-03T12:01:00.000Z');
    await w.backend.services.alerts.deliverDue();
    expect(await next(2)).toBe('2026-12-03T12:03:00.000Z');
    w.clock.set('2026-12-03T12:03:00.000Z');
    await w.backend.services.alerts.deliverDue();
    expect(await next(3)).toBe('2026-12-03T12:07:00.000Z');
    expect(received).toHaveLength(3);
  });

  it('sends a retry to where the webhook points now, signed with its secret, once the owner has moved it', async () => {
    const { url, received } = await receiver(1);
    world = openBillingWorld('2026-11-20T00:00:00Z', { alerts: { webhookBackoffMs: 60_000 } });
    const w = world;
    const org = await acme(w);
    await w.call('orgs.update', { id: org.id, alertThresholds: [50] });
    await w.call('alerts.setWebhook', { url, secret: 'the-old-receivers-secret' });
    w.clock.set('2026-12-03T12:00:00Z');
    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 3)]));
    await until(
      () => w.call('alerts.deliveries', {}),
      (rows) => rows[0]?.attempts === 1,
    );
    // The old receiver is retired: the alert still waiting goes to the new one, with the new secret.
    const moved = url.replace('/hooks/orgdeck', '/hooks/orgdeck-v2');
    const secret = 'the-new-receivers-secret';
    await w.call('alerts.setWebhook', { url: moved, secret });
    w.clock.set('2026-12-03T12:01:00.000Z');
    await w.backend.services.alerts.deliverDue();
    expect(received.map((request) => request.path)).toEqual(['/hooks/orgdeck', '/hooks/orgdeck-v2']);
    const retry = received[1] as Received;
    expect(retry.headers['x-orgdeck-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(retry.body).digest('hex')}`,
    );
    expect((await w.call('alerts.deliveries', {}))[0]).toMatchObject({
      url: moved,
      status: 'delivered',
      attempts: 2,
    });
  });

  it('says why a delivery is not sent when this server cannot open the signing secret, and leaves it to one that can', async () => {
    const { url, received } = await receiver(0);
    world = openBillingWorld('2026-11-20T00:00:00Z', { alerts: { webhookBackoffMs: 60_000 } });
    const org = await acme(world);
    await world.call('orgs.update', { id: org.id, alertThresholds: [50] });
    await world.call('alerts.setWebhook', { url, secret: 'another-long-shared-secret' });
    // Another seal key than the one the secret was sealed with (a second server without the first's
    // key file): a key file, once there, is the one used.
    writeFileSync(join(world.dataDir, TOTP_KEY_FILE), randomBytes(32).toString('base64'));
    world.reopen();
    const w = world;
    w.clock.set('2026-12-03T12:00:00Z');
    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 3)]));
    const [row] = await until(
      () => w.call('alerts.deliveries', {}),
      (rows) => rows[0]?.last_error != null,
    );
    // No attempt counted: a server that has the key sends it once the backoff is over.
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 0,
      next_attempt_at: '2026-12-03T12:01:00.000Z',
    });
    expect(row?.last_error).toMatch(
      /^The signing secret cannot be opened on this server \(.+\): set the webhook/,
    );
    expect(received).toHaveLength(0);
  });

  it('gives a delivery up after the last attempt and says why in the log', async () => {
    const { url, received } = await receiver(100);
    const clock = runningClock();
    world = openBillingWorld('2026-11-20T00:00:00Z', { clock, alerts: { webhookBackoffMs: 5 } });
    const w = world;
    const org = await acme(w);
    clock.jump('2026-12-03T12:00:00Z');
    await w.call('orgs.update', { id: org.id, alertThresholds: [50] });
    await w.call('alerts.setWebhook', { url, secret: 'another-long-shared-secret' });
    await w.importText('usage.csv', csvOf([tokens('2026-12-01', 3)]));
    const [row] = await until(
      () => w.call('alerts.deliveries', {}),
      (rows) => rows.length === 1 && rows[0]?.status === 'failed',
    );
    expect(row).toMatchObject({
      attempts: MAX_ATTEMPTS,
      last_status: 500,
      last_error: 'The server answered HTTP 500',
    });
    expect(received).toHaveLength(MAX_ATTEMPTS);
  });
});

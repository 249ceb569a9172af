// An org moved in from another server brings its daily usage in its archive: the usage a team
// server on PostgreSQL bills before its own imports run there. Every figure is worked out by hand.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
} from '../fixtures/billing';
import { uploadText } from '../fixtures/org-archives';

let world: BillingWorld;

beforeEach(() => {
  world = openBillingWorld('2026-03-25T12:00:00Z');
});

afterEach(() => world.cleanup());

const usageDay = (day: string, agentId: string, inputTokens: number, outputTokens: number) => ({
  model: 'gpt-test',
  day,
  agentId,
  inputTokens,
  outputTokens,
  records: 1,
});

/** Acme as another server exports it, with March's usage of its agent, imported here as acme-moved. */
async function moveAcmeIn() {
  await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-01-01');
  const acme = await createOrg(world, 'Acme', '40.00', 'full_month');
  await world.call('orgs.update', { id: acme.id, budget: '3.00', usageMarkup: '50', from: '2026-03-01' });
  const ann = await createAgent(world, 'ann');
  await assign(world, ann.id, acme.id, '2026-03-01T00:00:00Z');
  const archive = JSON.parse((await world.call('orgs.export', { id: acme.id })).content);
  archive.usageDaily = [
    // 1,000,000 × $2/M + 100,000 × $8/M = $2.00 + $0.80 = $2.80
    usageDay('2026-03-05', ann.id, 1_000_000, 100_000),
    // 500,000 × $2/M = $1.00
    usageDay('2026-03-20', ann.id, 500_000, 0),
  ];
  const preview = await world.call('orgs.importPreview', {
    uploadId: await uploadText(world, 'acme.json', JSON.stringify(archive)),
  });
  const { org } = await world.call('orgs.importApply', { importId: preview.importId, slug: 'acme-moved' });
  return { acme, moved: org };
}

describe('an org moved in with its usage', () => {
  it('reports its cost, its marked-up usage and its margin', async () => {
    const { acme, moved } = await moveAcmeIn();
    // March has ended: its whole rate is billed.
    world.clock.set('2026-04-10T00:00:00Z');
    const march = await margins(world, '2026-03');
    // $40.00 for the month, and $3.80 of usage marked up 50 %: $5.70. (45.70 − 3.80) / 45.70 = 0.91684…
    expect(orgIn(march, moved.id)).toMatchObject({
      revenue: '45.70',
      revenue_usage: '5.70',
      cost: '3.800000',
      margin: 0.9168,
      input_tokens: 1_500_000,
      output_tokens: 100_000,
    });
    // The org it was exported from keeps no usage of its own.
    expect(orgIn(march, acme.id)).toMatchObject({ revenue: '40.00', cost: '0.000000' });
    // Home sums both orgs: $40.00 + $45.70, and the moved org's cost.
    const home = await world.call('home.attention', { month: '2026-03' });
    expect(home.totals).toMatchObject({ revenue: '85.70', cost: '3.800000' });
    const trend = await world.call('billing.trend', { month: '2026-03', org: moved.id, months: 2 });
    expect(trend.map((month) => [month.month, month.revenue, month.cost])).toEqual([
      ['2026-02', '0.00', '0.000000'],
      ['2026-03', '45.70', '3.800000'],
    ]);
  });

  it('re-prices its usage from the day a price changes mid-month', async () => {
    const { moved } = await moveAcmeIn();
    await setPrice(world, 'gpt-test', '4.00', '8.00', '2026-03-10');
    world.clock.set('2026-04-10T00:00:00Z');
    // The 5th keeps $2.80; the 20th is 500,000 × $4/M = $2.00. Marked up 50 %: $7.20 of usage.
    expect(orgIn(await margins(world, '2026-03'), moved.id)).toMatchObject({
      revenue: '47.20',
      revenue_usage: '7.20',
      cost: '4.800000',
    });
  });

  it('raises its budget alerts: $3.80 of a $3.00 budget is past 80 % and 100 %', async () => {
    const { moved } = await moveAcmeIn();
    await world.call('alerts.check', {});
    const alerts = await world.call('alerts.list', { status: 'open', month: '2026-03' });
    expect(
      alerts
        .filter((alert) => alert.org.id === moved.id && alert.kind === 'actual')
        .map((alert) => alert.threshold)
        .sort(),
    ).toEqual([100, 80]);
  });

  it('posts its budget alerts to the webhook and records each delivery', async () => {
    const bodies: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { moved } = await moveAcmeIn();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
      await world.call('alerts.setWebhook', { url, secret: 'a-long-shared-secret-for-tests' });
      await world.call('alerts.check', {});
      await world.backend.services.alerts.deliverDue();
      const deliveries = await world.call('alerts.deliveries', {});
      expect(deliveries.map((row) => [row.org?.slug, row.event, row.status, row.last_status])).toEqual([
        ['acme-moved', 'raised', 'delivered', 204],
        ['acme-moved', 'raised', 'delivered', 204],
      ]);
      const thresholds = bodies
        .map((body) => JSON.parse(body).alert)
        .filter((alert) => alert.org.id === moved.id);
      expect(thresholds.map((alert) => alert.threshold).sort()).toEqual([100, 80]);
    } finally {
      server.close();
    }
  });

  it('closes its month into a statement that bills the usage, numbered after the other org’s', async () => {
    const { moved } = await moveAcmeIn();
    world.clock.set('2026-04-02T08:00:00Z');
    const { issued } = await world.call('statements.close', { month: '2026-03' });
    expect(issued.map((statement) => [statement.number, statement.org.slug, statement.total])).toEqual([
      ['ST-2026-0001', 'acme', '40.00'],
      ['ST-2026-0002', 'acme-moved', '45.70'],
    ]);
    const usage = await world.call('statements.usage', { month: '2026-03', org: moved.id });
    expect(usage.rows.map((row) => [row.model, row.charged])).toEqual([['gpt-test', '5.70']]);
    // The PDF sent to the client reads back byte for byte; voiding it takes the next number.
    const pdf = async () =>
      (await world.call('statements.file', { number: 'ST-2026-0002', format: 'pdf' })).base64;
    const sent = await pdf();
    expect(Buffer.from(sent, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdf()).toBe(sent);
    const credit = await world.call('statements.void', { number: 'ST-2026-0002', reason: 'Wrong month' });
    expect(credit).toMatchObject({ number: 'ST-2026-0003', kind: 'credit_note', total: '-45.70' });
  });
});

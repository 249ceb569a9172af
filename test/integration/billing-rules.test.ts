// One test per billing rule, through the router. Every expected figure is worked out by hand in
// the comments next to it; none comes from the product's own math.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toScaled } from '../../shared/domain/decimal';
import {
  agentIn,
  assign,
  type BillingWorld,
  comparable,
  createAgent,
  createOrg,
  csvOf,
  jsonlOf,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
  type UsageRecord,
  unassign,
  uploadAndImport,
  usageRecord,
} from '../fixtures/billing';
import {
  expectedReport,
  type RefAgent,
  type RefOrg,
  type RefPrice,
  type RefRecord,
} from '../fixtures/billing-reference';
import { PASSWORD, tokenSession } from '../fixtures/tenants';

let world: BillingWorld;

beforeEach(() => {
  // After the months under test, so every effective time below is in the past.
  world = openBillingWorld('2026-04-10T00:00:00Z');
});

afterEach(() => world.cleanup());

describe('revenue', () => {
  it('splits a mid-month move between the two orgs, each at its own rate', async () => {
    const a = await createOrg(world, 'Alpha', '40.00');
    const b = await createOrg(world, 'Beta', '31.00');
    const mover = await createAgent(world, 'mover');
    await assign(world, mover.id, a.id, '2026-02-20T00:00:00Z');
    await assign(world, mover.id, b.id, '2026-03-11T06:00:00Z');
    await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-01-01');
    const job = await world.importText(
      'move.csv',
      csvOf([
        // In Alpha: 1000 × $2/M + 500 × $8/M = 0.002 + 0.004 = $0.006
        usageRecord('2026-03-05T10:00:00Z', 'mover', 'gpt-test', 1000, 500),
        // In Alpha, a second before the move: 100 × 2 + 100 × 8 per M = $0.001
        usageRecord('2026-03-11T05:59:59Z', 'mover', 'gpt-test', 100, 100),
        // In Beta from the move on: 2000 × $2/M = $0.004
        usageRecord('2026-03-11T06:00:00Z', 'mover', 'gpt-test', 2000, 0),
        // In Beta: 333 × 2 + 111 × 8 = 666 + 888 → $0.001554
        usageRecord('2026-03-25T00:00:00Z', 'mover', 'gpt-test', 333, 111),
      ]),
    );
    expect(job).toMatchObject({ status: 'done', imported: 4, bad: 0 });

    const march = await margins(world, '2026-03');
    // Alpha: 10 days 6 hours = 10.25 of 31 days × $40 = 410 / 31 = 13.2258… → $13.23
    expect(orgIn(march, a.id)).toMatchObject({
      revenue: '13.23',
      cost: '0.007000',
      // (13.23 − 0.007) / 13.23 = 0.999470… → 0.9995
      margin: 0.9995,
      input_tokens: 1100,
      output_tokens: 600,
      agents_billed: 1,
    });
    // Beta: 20.75 of 31 days × $31 = $20.75
    expect(orgIn(march, b.id)).toMatchObject({
      revenue: '20.75',
      cost: '0.005554',
      // (20.75 − 0.005554) / 20.75 = 0.999732… → 0.9997
      margin: 0.9997,
      input_tokens: 2333,
      output_tokens: 111,
    });
    expect(agentIn(orgIn(march, a.id), 'mover')).toMatchObject({ revenue: '13.23', cost: '0.007000' });
    expect(agentIn(orgIn(march, b.id), 'mover')).toMatchObject({ revenue: '20.75', cost: '0.005554' });
    // 13.23 + 20.75 = 33.98; 0.007 + 0.005554 = 0.012554; the mover is billed by both orgs.
    expect(march.totals).toEqual({
      revenue: '33.98',
      revenue_agents: '33.98',
      revenue_usage: '0.00',
      minimum_topup: '0.00',
      cost: '0.012554',
      margin: 0.9996,
      agents_billed: 2,
      unpriced_tokens: 0,
      forecast: null,
    });

    // February: Alpha from the 20th, 9 of 28 days × $40 = 360 / 28 = 12.857… → $12.86; Beta nothing.
    const february = await margins(world, '2026-02');
    expect(orgIn(february, a.id).revenue).toBe('12.86');
    expect(orgIn(february, b.id)).toMatchObject({ revenue: '0.00', margin: null, agents: [] });
  });

  it('leaves the time an org was inactive out of prorated revenue', async () => {
    world.clock.set('2026-03-01T00:00:00Z');
    const org = await createOrg(world, 'Sleepy', '31.00');
    await world.call('agents.create', { name: 'Dozer', handle: 'dozer', orgId: org.id });
    world.clock.set('2026-03-11T00:00:00Z');
    await world.call('orgs.deactivate', { id: org.id });
    world.clock.set('2026-03-21T00:00:00Z');
    await world.call('orgs.activate', { id: org.id });
    world.clock.set('2026-03-31T12:00:00Z');
    await world.call('orgs.deactivate', { id: org.id });

    // Active 1–11 and 21–31.5: 10 + 10.5 = 20.5 of 31 days × $31 = $20.50
    world.clock.set('2026-04-05T00:00:00Z');
    expect(orgIn(await margins(world, '2026-03'), org.id).revenue).toBe('20.50');
    // Still inactive: the open stretch runs to the end of April.
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({ revenue: '0.00', margin: null });

    await world.call('orgs.activate', { id: org.id });
    // Active again from 5 April: nothing accrued yet at midnight, and 26 of 30 days × $31 =
    // 26.866… → $26.87 by the end of the month, as forecast now and as billed once April is over.
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      revenue: '0.00',
      forecast: { revenue: '26.87' },
    });
    // Nothing changes but the clock: by 20 April, 15 of 30 days × $31 = $15.50 have accrued.
    world.clock.set('2026-04-20T00:00:00Z');
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      revenue: '15.50',
      forecast: { revenue: '26.87' },
    });
    world.clock.set('2026-05-01T00:00:00Z');
    expect(orgIn(await margins(world, '2026-04'), org.id)).toMatchObject({
      revenue: '26.87',
      forecast: null,
    });
    expect(orgIn(await margins(world, '2026-03'), org.id).revenue).toBe('20.50');
  });

  it('bills the full rate in full_month mode for any moment in the month', async () => {
    const full = await createOrg(world, 'Fullco', '40.00');
    const prorated = await createOrg(world, 'Partco', '40.00');
    const late = await createAgent(world, 'late');
    const latePart = await createAgent(world, 'late-part');
    const brief = await createAgent(world, 'brief');
    const left = await createAgent(world, 'left');
    await assign(world, left.id, full.id, '2026-02-01T00:00:00Z');
    await unassign(world, left.id, '2026-03-01T00:00:00Z');
    await assign(world, brief.id, full.id, '2026-03-05T00:00:00Z');
    await unassign(world, brief.id, '2026-03-05T00:00:01Z');
    await assign(world, late.id, full.id, '2026-03-30T12:00:00Z');
    await assign(world, latePart.id, prorated.id, '2026-03-30T12:00:00Z');
    // Dated back to before February: a change from today would leave both months as they were.
    await world.call('orgs.update', { id: full.id, billingMode: 'full_month', from: '2026-01-01' });

    const march = await margins(world, '2026-03');
    // late and brief: $40 each, however short their time; left ended exactly at 1 March: nothing.
    expect(orgIn(march, full.id)).toMatchObject({ revenue: '80.00', agents_billed: 2 });
    expect(agentIn(orgIn(march, full.id), 'late').revenue).toBe('40.00');
    expect(agentIn(orgIn(march, full.id), 'brief').revenue).toBe('40.00');
    expect(orgIn(march, full.id).agents.map((agent) => agent.handle)).not.toContain('left');
    // The same stay prorated: 1.5 of 31 days × $40 = 60 / 31 = 1.935… → $1.94
    expect(orgIn(march, prorated.id).revenue).toBe('1.94');
    expect(orgIn(await margins(world, '2026-02'), full.id).revenue).toBe('40.00');

    // Back to prorated: late 1.5 days → $1.94, brief 1 s × $40 / 31 days ≈ $0.0000149 → $0.00.
    await world.call('orgs.update', { id: full.id, billingMode: 'prorated', from: '2026-03-01' });
    expect(orgIn(await margins(world, '2026-03'), full.id).revenue).toBe('1.94');
  });

  it("uses an agent's own rate over its org's, and the org's again when the override is cleared", async () => {
    const org = await createOrg(world, 'Ratesco', '40.00');
    const std = await createAgent(world, 'std');
    const vip = await createAgent(world, 'vip', '55.50');
    const half = await createAgent(world, 'half', '10.00');
    await assign(world, std.id, org.id, '2026-02-01T00:00:00Z');
    await assign(world, vip.id, org.id, '2026-02-01T00:00:00Z');
    await assign(world, half.id, org.id, '2026-03-16T12:00:00Z');

    const march = orgIn(await margins(world, '2026-03'), org.id);
    expect(agentIn(march, 'std').revenue).toBe('40.00');
    expect(agentIn(march, 'vip').revenue).toBe('55.50');
    // 15.5 of 31 days × $10 = $5.00
    expect(agentIn(march, 'half').revenue).toBe('5.00');
    // 40 + 55.50 + 5 = 100.50
    expect(march.revenue).toBe('100.50');

    await world.call('agents.update', { id: vip.id, rate: null, from: '2026-03-01' });
    const after = orgIn(await margins(world, '2026-03'), org.id);
    expect(agentIn(after, 'vip').revenue).toBe('40.00');
    expect(after.revenue).toBe('85.00');
  });
});

describe('cost', () => {
  it('prices each record at the price in effect at its time, across a mid-month change', async () => {
    const org = await createOrg(world, 'Pricey', '10.00');
    const agent = await createAgent(world, 'pricey');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-03-01');
    await setPrice(world, 'gpt-test', '1.00', '4.00', '2026-03-16');
    await world.importText(
      'prices.csv',
      csvOf([
        // Before any price: unknown cost.
        usageRecord('2026-02-27T00:00:00Z', 'pricey', 'gpt-test', 10, 10),
        // Old price: 1,000,000 × $2/M + 500,000 × $8/M = 2 + 4 = $6
        usageRecord('2026-03-15T23:59:59.999Z', 'pricey', 'gpt-test', 1_000_000, 500_000),
        // 01:00 at +02:00 is 23:00 UTC on the 15th: old price, 1,000,000 × $2/M = $2
        usageRecord('2026-03-16T01:00:00+02:00', 'pricey', 'gpt-test', 1_000_000, 0),
        // New price: 1,000,000 × $1/M + 500,000 × $4/M = 1 + 2 = $3
        usageRecord('2026-03-16T00:00:00Z', 'pricey', 'gpt-test', 1_000_000, 500_000),
        // New price: 1,234 × 1 + 567 × 4 = 1,234 + 2,268 → $0.003502
        usageRecord('2026-03-31T12:00:00Z', 'pricey', 'gpt-test', 1234, 567),
      ]),
    );

    const march = await margins(world, '2026-03');
    // 6 + 2 + 3 + 0.003502 = 11.003502
    expect(orgIn(march, org.id)).toMatchObject({
      cost: '11.003502',
      unpriced_tokens: 0,
      input_tokens: 3_001_234,
      output_tokens: 1_000_567,
      // (10 − 11.003502) / 10 = −0.1003502 → −0.1004
      margin: -0.1004,
    });
    expect(march.cost_by_model).toMatchObject([
      {
        model: 'gpt-test',
        cost: '11.003502',
        priced: true,
        input_tokens: 3_001_234,
        output_tokens: 1_000_567,
      },
    ]);

    const february = await margins(world, '2026-02');
    expect(orgIn(february, org.id)).toMatchObject({ cost: '0.000000', unpriced_tokens: 20 });
    expect(february.cost_by_model).toMatchObject([
      { model: 'gpt-test', cost: '0.000000', priced: false, input_tokens: 10, output_tokens: 10 },
    ]);
  });

  it('re-prices a month already imported from a mid-month day exactly, an edit made meanwhile kept', async () => {
    const org = await createOrg(world, 'Repriced', '10.00');
    const agent = await createAgent(world, 'repriced');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-03-01');
    await world.importText(
      'before-repricing.csv',
      csvOf([
        // Before the new price: 1,000,000 × $2/M + 500,000 × $8/M = 2 + 4 = $6, before and after.
        usageRecord('2026-03-15T23:59:59Z', 'repriced', 'gpt-test', 1_000_000, 500_000),
        // $2 at the old price; at the new one 1,000,000 × $1/M = $1
        usageRecord('2026-03-16T00:00:00Z', 'repriced', 'gpt-test', 1_000_000, 0),
      ]),
    );
    // 6 + 2 = 8
    expect(orgIn(await margins(world, '2026-03'), org.id)).toMatchObject({ cost: '8.000000' });

    const [, edited] = await Promise.all([
      setPrice(world, 'gpt-test', '1.00', '4.00', '2026-03-16'),
      world.call('orgs.update', { id: org.id, contactName: 'Edited meanwhile' }),
    ]);
    expect(edited).toMatchObject({ contactName: 'Edited meanwhile' });
    // 6 + 1 = 7
    expect(orgIn(await margins(world, '2026-03'), org.id)).toMatchObject({
      cost: '7.000000',
      input_tokens: 2_000_000,
      output_tokens: 500_000,
    });
  });

  it('puts the usage of an agent in no org at the time under unattributed', async () => {
    const org = await createOrg(world, 'Homeco', '31.00');
    const temp = await createAgent(world, 'temp');
    await createAgent(world, 'free');
    await assign(world, temp.id, org.id, '2026-03-01T00:00:00Z');
    await unassign(world, temp.id, '2026-03-10T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    await world.importText(
      'unattributed.jsonl',
      jsonlOf([
        // In the org: 1000 × 1 + 1000 × 2 per M = $0.003
        usageRecord('2026-03-09T23:59:59Z', 'temp', 'gpt-test', 1000, 1000),
        // Unassigned from the 10th: 2000 × 1 + 1000 × 2 = $0.004
        usageRecord('2026-03-10T00:00:00Z', 'temp', 'gpt-test', 2000, 1000),
        // Never assigned: 500 × 1 + 250 × 2 = $0.001
        usageRecord('2026-03-20T00:00:00Z', 'free', 'gpt-test', 500, 250),
      ]),
    );

    const march = await margins(world, '2026-03');
    // 9 of 31 days × $31 = $9.00
    expect(orgIn(march, org.id)).toMatchObject({
      revenue: '9.00',
      cost: '0.003000',
      input_tokens: 1000,
      output_tokens: 1000,
    });
    expect(march.unattributed).toMatchObject({
      cost: '0.005000',
      unpriced_tokens: 0,
      input_tokens: 2500,
      output_tokens: 1250,
    });
    // Totals carry the unattributed cost: 0.003 + 0.005; (9 − 0.008) / 9 = 0.99911… → 0.9991
    expect(march.totals).toEqual({
      revenue: '9.00',
      revenue_agents: '9.00',
      revenue_usage: '0.00',
      minimum_topup: '0.00',
      cost: '0.008000',
      margin: 0.9991,
      agents_billed: 1,
      unpriced_tokens: 0,
      forecast: null,
    });
  });

  // Known gap: usage is attributed when it is imported, so an assignment recorded afterwards with
  // an earlier `at` (allowed when it follows the agent's last change) leaves that usage where it was.
  it.todo('re-attributes usage already imported when a later-recorded change takes effect before it');

  it('reports the tokens of a model without a price as unpriced, never as free', async () => {
    const org = await createOrg(world, 'Mystco', '20.00');
    const agent = await createAgent(world, 'seer');
    await createAgent(world, 'loose');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'known', '1.00', '1.00', '2026-01-01');
    await world.importText(
      'unpriced.csv',
      csvOf([
        // 1000 × 1 + 1000 × 1 per M = $0.002
        usageRecord('2026-03-02T00:00:00Z', 'seer', 'known', 1000, 1000),
        usageRecord('2026-03-03T00:00:00Z', 'seer', 'mystery', 5000, 2500),
        usageRecord('2026-03-04T00:00:00Z', 'loose', 'mystery', 300, 0),
      ]),
    );

    const march = await margins(world, '2026-03');
    const row = orgIn(march, org.id);
    expect(row).toMatchObject({ cost: '0.002000', unpriced_tokens: 7500, input_tokens: 6000 });
    expect(agentIn(row, 'seer')).toMatchObject({ cost: '0.002000', unpriced_tokens: 7500 });
    expect(march.unattributed).toMatchObject({ cost: '0.000000', unpriced_tokens: 300 });
    expect(march.cost_by_model).toMatchObject([
      { model: 'known', cost: '0.002000', priced: true, input_tokens: 1000, output_tokens: 1000 },
      { model: 'mystery', cost: '0.000000', priced: false, input_tokens: 5300, output_tokens: 2500 },
    ]);

    // Once it has a price, the same usage is costed: 5000 × 3 + 2500 × 6 per M = 0.015 + 0.015.
    await setPrice(world, 'mystery', '3.00', '6.00', '2026-03-01');
    const priced = await margins(world, '2026-03');
    expect(orgIn(priced, org.id)).toMatchObject({ cost: '0.032000', unpriced_tokens: 0 });
    // 300 × $3/M = $0.0009
    expect(priced.unattributed).toMatchObject({ cost: '0.000900', unpriced_tokens: 0 });
    expect(priced.cost_by_model.find((line) => line.model === 'mystery')).toMatchObject({
      cost: '0.030900',
      priced: true,
    });
  });
});

describe('margin', () => {
  it('is worked out from the exact cost, rounded once to 4 decimals', async () => {
    const org = await createOrg(world, 'Tinyco', '0.01', 'full_month');
    const agent = await createAgent(world, 'tiny');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await setPrice(world, 'cheap', '0.10', '0.00', '2026-01-01');
    // 5 tokens at $0.10/M = $0.0000005, shown as 0.000001 (half up).
    await world.importText('tiny.csv', csvOf([usageRecord('2026-03-02T00:00:00Z', 'tiny', 'cheap', 5, 0)]));
    const row = orgIn(await margins(world, '2026-03'), org.id);
    // (0.01 − 0.0000005) / 0.01 = 0.99995 → 1.0000; from the rounded cost it would be 0.9999.
    expect(row).toMatchObject({ revenue: '0.01', cost: '0.000001', margin: 1 });
    expect(agentIn(row, 'tiny').margin).toBe(1);
  });
});

describe('de-duplication', () => {
  let agentOrg: string;

  beforeEach(async () => {
    agentOrg = (await createOrg(world, 'Dupco', '30.00')).id;
    for (const handle of ['d1', 'd2']) {
      const agent = await createAgent(world, handle);
      await assign(world, agent.id, agentOrg, '2026-02-01T00:00:00Z');
    }
    await setPrice(world, 'gpt-test', '2.50', '10.00', '2026-01-01');
  });

  const records = [
    usageRecord('2026-03-01T08:00:00Z', 'd1', 'gpt-test', 1200, 300),
    usageRecord('2026-03-02T09:30:00Z', 'd2', 'gpt-test', 50, 75),
    usageRecord('2026-03-02T09:30:00Z', 'd2', 'gpt-test', 51, 75),
    usageRecord('2026-03-20T17:45:10.250Z', 'd1', 'other', 9, 9),
  ];

  it('changes nothing when the same file is imported again', async () => {
    const content = csvOf(records);
    expect(await world.importText('usage.csv', content)).toMatchObject({ imported: 4, skipped: 0 });
    const before = await margins(world, '2026-03');
    // d1: 1200 × 2.5 + 300 × 10 per M = 0.003 + 0.003; d2: (50 + 51) × 2.5 + 150 × 10 = 0.0002525 + 0.0015;
    // together 0.0077525, rounded half up once: 0.007753. The 18 tokens of `other` have no price.
    expect(orgIn(before, agentOrg)).toMatchObject({
      cost: '0.007753',
      input_tokens: 1310,
      unpriced_tokens: 18,
    });

    expect(await world.importText('usage.csv', content)).toMatchObject({
      status: 'done',
      imported: 0,
      skipped: 4,
    });
    expect(await margins(world, '2026-03')).toEqual(before);
  });

  it('changes nothing when the same records come again without ids in another file', async () => {
    await world.importText('usage.csv', csvOf(records));
    const before = await margins(world, '2026-03');
    // The same records, reordered, as JSON Lines, with the times written in other zones.
    const again = [
      { ...records[3], timestamp: '2026-03-20T19:45:10.25+02:00' },
      records[2],
      { ...records[0], timestamp: '2026-03-01T03:00:00-05:00' },
      records[1],
    ] as UsageRecord[];
    const job = await uploadAndImport(world, 'again.jsonl', jsonlOf(again));
    expect(job).toMatchObject({ status: 'done', rowsRead: 4, imported: 0, skipped: 4, bad: 0 });
    expect(await margins(world, '2026-03')).toEqual(before);

    // One token more is another record.
    const more = await uploadAndImport(
      world,
      'more.jsonl',
      jsonlOf([usageRecord('2026-03-01T08:00:00Z', 'd1', 'gpt-test', 1201, 300)]),
    );
    expect(more).toMatchObject({ imported: 1, skipped: 0 });
  });

  it('de-duplicates records with an id by their id, even when their content differs', async () => {
    await world.importText(
      'first.csv',
      csvOf([
        usageRecord('2026-03-05T00:00:00Z', 'd1', 'gpt-test', 100, 100, 'r1'),
        usageRecord('2026-03-05T00:00:00Z', 'd1', 'gpt-test', 200, 0, 'r2'),
      ]),
    );
    const job = await world.importText(
      'second.jsonl',
      jsonlOf([
        // r1 again, changed: still r1, skipped.
        usageRecord('2026-03-06T00:00:00Z', 'd2', 'gpt-test', 999_999, 999_999, 'r1'),
        // Two new records with the same content but their own ids: both count.
        usageRecord('2026-03-07T00:00:00Z', 'd2', 'gpt-test', 40, 0, 'r3'),
        usageRecord('2026-03-07T00:00:00Z', 'd2', 'gpt-test', 40, 0, 'r4'),
      ]),
    );
    expect(job).toMatchObject({ imported: 2, skipped: 1 });
    const org = orgIn(await margins(world, '2026-03'), agentOrg);
    expect(agentIn(org, 'd1')).toMatchObject({ input_tokens: 300, output_tokens: 100 });
    expect(agentIn(org, 'd2')).toMatchObject({ input_tokens: 80, output_tokens: 0 });
  });

  it('counts the first line of a file that repeats an id, even when a later one is of an earlier day', async () => {
    const job = await world.importText(
      'repeats.csv',
      csvOf([
        usageRecord('2026-03-20T00:00:00Z', 'd1', 'gpt-test', 7, 0, 'r1'),
        usageRecord('2026-03-02T00:00:00Z', 'd2', 'gpt-test', 500, 0, 'r1'),
        usageRecord('2026-03-01T00:00:00Z', 'd2', 'gpt-test', 30, 0, 'r2'),
      ]),
    );
    expect(job).toMatchObject({ imported: 2, skipped: 1 });
    const org = orgIn(await margins(world, '2026-03'), agentOrg);
    expect(agentIn(org, 'd1')).toMatchObject({ input_tokens: 7 });
    expect(agentIn(org, 'd2')).toMatchObject({ input_tokens: 30 });
  });
});

describe('visibility', () => {
  it('never shows a member of an org the cost or margin figures, of their org or another', async () => {
    const mine = await createOrg(world, 'Mineorg', '30.00');
    const theirs = await createOrg(world, 'Theirsorg', '50.00');
    for (const [handle, orgId] of [
      ['mine-1', mine.id],
      ['theirs-1', theirs.id],
    ] as const) {
      const agent = await createAgent(world, handle);
      await assign(world, agent.id, orgId, '2026-02-01T00:00:00Z');
    }
    await createAgent(world, 'nobody');
    await setPrice(world, 'gpt-test', '1.00', '1.00', '2026-01-01');
    await setPrice(world, 'theirs-model', '1.00', '1.00', '2026-01-01');
    await world.importText(
      'mixed.csv',
      csvOf([
        usageRecord('2026-03-03T00:00:00Z', 'mine-1', 'gpt-test', 1000, 0),
        usageRecord('2026-03-03T00:00:00Z', 'theirs-1', 'theirs-model', 7000, 0),
        usageRecord('2026-03-03T00:00:00Z', 'nobody', 'gpt-test', 3000, 0),
      ]),
    );
    await world.call('users.create', {
      email: 'bound@example.com',
      name: 'Bound User',
      role: 'user',
      boundOrgId: mine.id,
      pages: ['billing'],
      password: PASSWORD,
    });
    const session = tokenSession();
    await world.call('session.signIn', { email: 'bound@example.com', password: PASSWORD }, session);

    // Cost and margin are the MSP's: a member of an org never receives them, for their org or another.
    for (const org of [undefined, mine.id, theirs.id]) {
      const refused = await world.backend.router.call('billing.margins', { month: '2026-03', org }, session);
      expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }

    // The owner sees both orgs and the unattributed usage.
    const all = await margins(world, '2026-03');
    expect(all.orgs.map((org) => org.id).sort()).toEqual([mine.id, theirs.id].sort());
    expect(all.unattributed).toMatchObject({ cost: '0.003000', input_tokens: 3000 });
    // 30 + 50 revenue; 0.001 + 0.007 + 0.003 cost
    expect(all.totals).toMatchObject({ revenue: '80.00', cost: '0.011000' });
  });
});

describe('a deleted org', () => {
  /** The exact sum of money texts, in micro-USD. */
  const microsOf = (amounts: string[]) =>
    amounts.reduce((sum, amount) => sum + (toScaled(amount, 6) ?? 0n), 0n);

  it('leaves the report whole: its usage is out of the totals, the cost by model and the trend alike, until restored', async () => {
    const alpha = await createOrg(world, 'Alpha', '30.00');
    const beta = await createOrg(world, 'Beta', '10.00');
    const a1 = await createAgent(world, 'a1');
    const b1 = await createAgent(world, 'b1');
    const loose = await createAgent(world, 'loose');
    await assign(world, a1.id, alpha.id, '2026-03-01T00:00:00Z');
    await assign(world, b1.id, beta.id, '2026-03-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    await setPrice(world, 'beta-model', '3.00', '15.00', '2026-01-01');
    const records = [
      // 1M × $1 + 0.5M × $2 = $2.00
      usageRecord('2026-03-05T00:00:00Z', 'a1', 'gpt-test', 1_000_000, 500_000),
      // 2M × $1 + 1M × $2 = $4.00
      usageRecord('2026-03-06T00:00:00Z', 'b1', 'gpt-test', 2_000_000, 1_000_000),
      // A model only Beta used: 1M × $3 + 0.1M × $15 = $4.50
      usageRecord('2026-03-07T00:00:00Z', 'b1', 'beta-model', 1_000_000, 100_000),
      // No price: 700 + 300 = 1,000 unpriced tokens
      usageRecord('2026-03-08T00:00:00Z', 'b1', 'mystery-model', 700, 300),
      // In no org: 1,000 × $1/M = $0.001
      usageRecord('2026-03-09T00:00:00Z', 'loose', 'gpt-test', 1_000, 0),
    ];
    expect(await world.importText('march.csv', csvOf(records))).toMatchObject({
      status: 'done',
      imported: 5,
    });
    // An org is deleted once no agent is in it; restorable, its usage is kept until it is purged.
    await unassign(world, b1.id, '2026-04-01T00:00:00Z');
    await world.call('orgs.delete', { id: beta.id, confirmName: 'Beta' });

    const report = await margins(world, '2026-03');
    expect(report.orgs.map((org) => org.name)).toEqual(['Alpha']);
    // Alpha's $30.00 for the whole month; its $2.00 and the unattributed $0.001.
    expect(report.totals).toMatchObject({ revenue: '30.00', cost: '2.001000', unpriced_tokens: 0 });
    // gpt-test is a1's $2.00 and loose's $0.001; Beta's models are not the report's.
    expect(report.cost_by_model.map(({ model, cost }) => [model, cost])).toEqual([['gpt-test', '2.001000']]);
    expect(microsOf(report.cost_by_model.map((line) => line.cost))).toBe(microsOf([report.totals.cost]));
    const trend = await world.call('billing.trend', { month: '2026-03', months: 2 });
    expect(trend.at(-1)).toEqual({
      month: '2026-03',
      revenue: report.totals.revenue,
      cost: report.totals.cost,
      margin: report.totals.margin,
      cache_savings: report.cache_savings,
    });

    // The home page reads the same numbers, and no unpriced model that only Beta used.
    const home = await world.call('home.attention', { month: '2026-03' });
    expect(report.totals).toMatchObject(home.totals);
    expect(home.trend.at(-1)).toEqual({
      month: '2026-03',
      revenue: '30.00',
      cost: '2.001000',
      margin: report.totals.margin,
    });
    expect(home.unpriced_models).toEqual([]);

    // The independent reference, with Beta deleted, agrees field by field.
    const orgs: RefOrg[] = [
      { id: alpha.id, rateCents: 3_000n, mode: 'prorated', inactive: [] },
      { id: beta.id, rateCents: 1_000n, mode: 'prorated', inactive: [], deleted: true },
    ];
    const march = Date.parse('2026-03-01T00:00:00Z');
    const agents: RefAgent[] = [
      {
        id: a1.id,
        handle: 'a1',
        overrideCents: null,
        stays: [{ orgId: alpha.id, from: march, to: Number.POSITIVE_INFINITY }],
      },
      {
        id: b1.id,
        handle: 'b1',
        overrideCents: null,
        stays: [{ orgId: beta.id, from: march, to: Date.parse('2026-04-01T00:00:00Z') }],
      },
      { id: loose.id, handle: 'loose', overrideCents: null, stays: [] },
    ];
    const prices: RefPrice[] = [
      { model: 'gpt-test', from: '2026-01-01', inputPico: 1_000_000n, outputPico: 2_000_000n },
      { model: 'beta-model', from: '2026-01-01', inputPico: 3_000_000n, outputPico: 15_000_000n },
    ];
    const refRecords: RefRecord[] = records.map((row) => ({
      ms: Date.parse(row.timestamp),
      handle: row.agent,
      model: row.model,
      input: BigInt(row.input_tokens),
      output: BigInt(row.output_tokens),
    }));
    expect(comparable(report)).toEqual(expectedReport('2026-03', orgs, agents, prices, refRecords));

    // Restored, Beta is the report's again everywhere: $2.001 + $4.00 + $4.50 = $10.501.
    await world.call('orgs.restore', { id: beta.id });
    const restored = await margins(world, '2026-03');
    expect(restored.totals).toMatchObject({ revenue: '40.00', cost: '10.501000', unpriced_tokens: 1_000 });
    expect(microsOf(restored.cost_by_model.map((line) => line.cost))).toBe(microsOf([restored.totals.cost]));
    expect((await world.call('billing.trend', { month: '2026-03', months: 2 })).at(-1)).toMatchObject({
      revenue: '40.00',
      cost: '10.501000',
    });
    const current = orgs.map((org) => ({ ...org, deleted: false }));
    expect(comparable(restored)).toEqual(expectedReport('2026-03', current, agents, prices, refRecords));
  });
});

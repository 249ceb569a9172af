// Issue 14, finding 6: one usage row must not brick a month. Counts are bounded per row, and every
// sum and cost is exact however many rows at the bound a month holds and whatever a price is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BillingWorld,
  createAgent,
  csvOf,
  margins,
  openBillingWorld,
  setPrice,
} from '../fixtures/billing';

const MAX_TOKENS = 1_000_000_000_000;

describe('usage counts at and past the bound', () => {
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld('2026-08-20T00:00:00Z');
  });
  afterEach(() => world.cleanup());

  it('refuses the row of the report, with the reason on the row, and the month still answers', async () => {
    await createAgent(world, 'mover-bot');
    await setPrice(world, 'gpt-4o', '2.5', '10', '2026-01-01');
    const job = await world.importText(
      'evil.csv',
      'timestamp,agent,model,input_tokens,output_tokens\n2026-08-10T00:00:00Z,mover-bot,gpt-4o,4000000000000,0\n',
    );
    expect(job).toMatchObject({ status: 'done', imported: 0, bad: 1 });
    expect(job.badRows).toEqual([
      { line: 2, reason: 'input_tokens must be a whole number from 0 to 1000000000000' },
    ]);
    const report = await margins(world, '2026-08');
    expect(report.totals.cost).toBe('0.000000');
    await world.call('billing.agent', {
      month: '2026-08',
      agentId: (await world.call('agents.list', {})).items[0]?.id,
    });
    await world.call('billing.trend', { month: '2026-08' });
  });

  it('sums many rows at the bound at the highest price exactly', async () => {
    const agent = await createAgent(world, 'mover-bot');
    const org = await world.call('orgs.create', { name: 'Bound Co', rate: '10.00' });
    await world.call('agents.assign', { agentIds: [agent.id], orgId: org.id, at: '2026-08-01T00:00:00Z' });
    await setPrice(world, 'gpt-4o', '999999.999999', '999999.999999', '2026-01-01');
    const rows = 20_000;
    const records = Array.from({ length: rows }, (_, i) => ({
      timestamp: new Date(Date.parse('2026-08-01T00:00:00Z') + i * 60_000).toISOString(),
      agent: 'mover-bot',
      model: 'gpt-4o',
      input_tokens: MAX_TOKENS,
      output_tokens: MAX_TOKENS,
    }));
    const job = await world.importText('bound.csv', csvOf(records));
    expect(job).toMatchObject({ status: 'done', imported: rows, bad: 0 });

    // 20,000 × 10^12 tokens each way at 999,999,999,999 pico-USD per token: 4 × 10^28 pico-USD.
    const costPico = BigInt(rows) * BigInt(MAX_TOKENS) * 999_999_999_999n * 2n;
    const micros = costPico / 1_000_000n;
    const costText = `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
    const report = await margins(world, '2026-08');
    expect(report.totals.cost).toBe(costText);
    expect(report.orgs[0]).toMatchObject({ cost: costText, input_tokens: rows * MAX_TOKENS });
    expect(report.cost_by_model).toMatchObject([
      {
        model: 'gpt-4o',
        cost: costText,
        priced: true,
        input_tokens: rows * MAX_TOKENS,
        output_tokens: rows * MAX_TOKENS,
      },
    ]);
    const detail = await world.call('billing.agent', { month: '2026-08', agentId: agent.id });
    expect(detail.stays[0]?.cost).toBe(costText);
    const trend = await world.call('billing.trend', { month: '2026-08', months: 1 });
    expect(trend[0]?.cost).toBe(costText);
  });
});

describe('usage sums past what a rollup can hold', () => {
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld('2026-08-20T00:00:00Z');
  });
  afterEach(() => world.cleanup());

  it('stop the import with the reason, keep what came before, and the month still answers', async () => {
    await createAgent(world, 'mover-bot');
    await setPrice(world, 'gpt-4o', '2.5', '10', '2026-01-01');
    await setPrice(world, 'gpt-4o-mini', '2.5', '10', '2026-01-01');
    const first = await world.importText(
      'first.csv',
      csvOf(
        ['gpt-4o', 'gpt-4o-mini'].map((model) => ({
          timestamp: '2026-08-10T00:00:00Z',
          agent: 'mover-bot',
          model,
          input_tokens: 1,
          output_tokens: 0,
        })),
      ),
    );
    expect(first).toMatchObject({ status: 'done', imported: 2 });
    // As if 9.2 million rows at the bound had come before: each model's month one short of 2^63,
    // so the agent's month, summed over both, is past what SQLite's sum() can hold.
    world.backend.store.db.exec('UPDATE usage_months SET input_tokens = 9223372036854775807');
    world.backend.store.db.exec('UPDATE usage_org_months SET input_tokens = 9223372036854775807');
    const over = await world.importText(
      'over.csv',
      csvOf([
        {
          timestamp: '2026-08-11T00:00:00Z',
          agent: 'mover-bot',
          model: 'gpt-4o',
          input_tokens: 5,
          output_tokens: 0,
        },
      ]),
    );
    expect(over).toMatchObject({
      status: 'failed',
      imported: 0,
      error: expect.stringMatching(
        /would pass 9,223,372,036,854,775,807 tokens.*from line 2 on were not imported/,
      ),
    });
    const report = await margins(world, '2026-08');
    // 9,223,372,036,854,775,807 × 2,500,000 pico-USD = 23,058,430,092,136.9395175 USD per model.
    expect(report.cost_by_model.map((line) => line.cost)).toEqual([
      '23058430092136.939518',
      '23058430092136.939518',
    ]);
    // Summed exactly before rounding once. (Token counts past 2^53 are JSON numbers, so rounded.)
    expect(report.totals.cost).toBe('46116860184273.879035');
    expect(report.unattributed?.cost).toBe('46116860184273.879035');
    const trend = await world.call('billing.trend', { month: '2026-08', months: 1 });
    expect(trend[0]?.cost).toBe('46116860184273.879035');
  });
});

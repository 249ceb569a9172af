import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/backend/store/database';
import { type BillingWorld, csvOf, margins, openBillingWorld, orgIn } from '../fixtures/billing';

const CLOCK = '2026-04-10T00:00:00Z';
const ACME = '00000000-0000-4000-8000-0000000000c1';
const ANN = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b1';
const T = '2026-01-01T00:00:00.000Z';

/** Version 8's key of a usage record, as a BigInt: what stores of that version hold in usage_seen. */
function version8Key(text: string): bigint {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return BigInt.asIntN(64, (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0));
}

/**
 * A store as version 8 left it: Ann in Acme, Bob in no org, gpt-a priced $1/$2 per million from
 * January and $3/$0 from 15 March, March usage in text-keyed daily and monthly sums.
 */
function version8Store(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'orgdeck.db'), { migrateTo: 8 });
  db.exec(`
    INSERT INTO orgs (id, slug, name, rate_micros, created_at, updated_at) VALUES ('${ACME}', 'acme', 'Acme', 30000000, '${T}', '${T}');
    INSERT INTO agents (id, handle, name, org_id, created_at, updated_at) VALUES
      ('${ANN}', 'ann', 'Ann', '${ACME}', '${T}', '${T}'), ('${BOB}', 'bob', 'Bob', NULL, '${T}', '${T}');
    INSERT INTO agent_assignments (agent_id, org_id, from_at) VALUES ('${ANN}', '${ACME}', '${T}');
    INSERT INTO model_prices (model, effective_from, input_pico, output_pico, created_at) VALUES
      ('gpt-a', '2026-01-01', 1000000, 2000000, '${T}'), ('gpt-a', '2026-03-15', 3000000, 0, '${T}');
    INSERT INTO usage_daily (model, day, agent_id, org_key, input_tokens, output_tokens, records) VALUES
      ('gpt-a', '2026-03-05', '${ANN}', '${ACME}', 1000000, 0, 1),
      ('gpt-a', '2026-03-20', '${ANN}', '${ACME}', 1000000, 0, 2),
      ('unpriced-x', '2026-03-06', '${ANN}', '${ACME}', 500, 500, 1),
      ('gpt-a', '2026-03-07', '${BOB}', '', 1000000, 1000000, 1);
    INSERT INTO usage_monthly (month, org_key, agent_id, model, price_from, input_tokens, output_tokens, records) VALUES
      ('2026-03', '${ACME}', '${ANN}', 'gpt-a', '2026-01-01', 1000000, 0, 1),
      ('2026-03', '${ACME}', '${ANN}', 'gpt-a', '2026-03-15', 1000000, 0, 2),
      ('2026-03', '${ACME}', '${ANN}', 'unpriced-x', '', 500, 500, 1),
      ('2026-03', '', '${BOB}', 'gpt-a', '2026-01-01', 1000000, 1000000, 1);
  `);
  const seen = db.prepare('INSERT INTO usage_seen (key) VALUES (?)');
  seen.run(version8Key('id\u0000old-1'));
  seen.run(
    version8Key(`row\u0000${Date.parse('2026-03-06T08:00:00Z')}\u0000ann\u0000unpriced-x\u0000500\u0000500`),
  );
  db.close();
}

describe('migration 9: usage sums keyed by integers', () => {
  let world: BillingWorld;

  beforeEach(() => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orgdeck-usage-migration-'));
    version8Store(dataDir);
    world = openBillingWorld(CLOCK, { dataDir });
  });

  afterEach(() => world.cleanup());

  it('keeps every figure of the months imported before', async () => {
    const report = await margins(world, '2026-03');
    // Ann: 1M at $1 (5th) + 1M at $3 (20th); Bob, in no org: 1M × $1 + 1M × $2.
    expect(orgIn(report, ACME)).toMatchObject({
      cost: '4.000000',
      input_tokens: 2_000_500,
      output_tokens: 500,
      unpriced_tokens: 1000,
    });
    expect(report.unattributed).toMatchObject({
      cost: '3.000000',
      input_tokens: 1_000_000,
      output_tokens: 1_000_000,
      unpriced_tokens: 0,
    });
    expect(report.cost_by_model).toMatchObject([
      { model: 'gpt-a', cost: '7.000000', priced: true, input_tokens: 3_000_000, output_tokens: 1_000_000 },
      { model: 'unpriced-x', cost: '0.000000', priced: false, input_tokens: 500, output_tokens: 500 },
    ]);
    const trend = await world.call('billing.trend', { month: '2026-03' });
    expect(trend.at(-1)).toMatchObject({ month: '2026-03', cost: '7.000000' });
  });

  it('still skips records imported before, by id and by content, and adds new ones to the old sums', async () => {
    const job = await world.importText(
      'again.csv',
      csvOf([
        {
          timestamp: '2026-03-25T00:00:00Z',
          agent: 'ann',
          model: 'gpt-a',
          input_tokens: 9,
          output_tokens: 9,
          id: 'old-1',
        },
        {
          timestamp: '2026-03-06T08:00:00Z',
          agent: 'ann',
          model: 'unpriced-x',
          input_tokens: 500,
          output_tokens: 500,
        },
        {
          timestamp: '2026-03-21T00:00:00Z',
          agent: 'ann',
          model: 'gpt-a',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
      ]),
    );
    expect(job).toMatchObject({ status: 'done', imported: 1, skipped: 2 });
    expect(orgIn(await margins(world, '2026-03'), ACME)).toMatchObject({
      cost: '7.000000',
      input_tokens: 3_000_500,
    });
  });

  it('re-prices migrated usage when a price changes', async () => {
    await world.call('prices.set', { model: 'gpt-a', input: '2.00', output: '0.00', from: '2026-03-06' });
    // Ann's 5th stays at $1; Bob's 7th is now $2 per million input, nothing for output.
    expect(orgIn(await margins(world, '2026-03'), ACME)).toMatchObject({ cost: '4.000000' });
    expect((await margins(world, '2026-03')).unattributed).toMatchObject({ cost: '2.000000' });
  });
});

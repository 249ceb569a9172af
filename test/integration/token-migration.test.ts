import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/backend/store/database';
import { type BillingWorld, margins, openBillingWorld, orgIn } from '../fixtures/billing';

const CLOCK = '2026-04-10T00:00:00Z';
const ACME = '00000000-0000-4000-8000-0000000000c1';
const ANN = '00000000-0000-4000-8000-0000000000a1';
const T = '2026-01-01T00:00:00.000Z';
/** 2026-03-05 and 2026-03-20 as day numbers. */
const MARCH_5 = Date.UTC(2026, 2, 5) / 86_400_000;
const MARCH_20 = Date.UTC(2026, 2, 20) / 86_400_000;

/**
 * A store as version 9 left it: Ann in Acme, gpt-a at $1/$2 per million from January, and March
 * usage in integer-keyed rollups (refs 1 = gpt-a, 2 = Ann, 3 = Acme).
 */
function version9Store(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'orgdeck.db'), { migrateTo: 9 });
  db.exec(`
    INSERT INTO orgs (id, slug, name, rate_micros, created_at, updated_at) VALUES ('${ACME}', 'acme', 'Acme', 30000000, '${T}', '${T}');
    INSERT INTO agents (id, handle, name, org_id, created_at, updated_at) VALUES ('${ANN}', 'ann', 'Ann', '${ACME}', '${T}', '${T}');
    INSERT INTO agent_assignments (agent_id, org_id, from_at) VALUES ('${ANN}', '${ACME}', '${T}');
    INSERT INTO model_prices (id, model, effective_from, input_pico, output_pico, created_at) VALUES
      (1, 'gpt-a', '2026-01-01', 1000000, 2000000, '${T}');
    INSERT INTO usage_refs (id, kind, name) VALUES (1, 'model', 'gpt-a'), (2, 'agent', '${ANN}'), (3, 'org', '${ACME}');
    INSERT INTO usage_days (model, day, agent, org, input_tokens, output_tokens, records) VALUES
      (1, ${MARCH_5}, 2, 3, 1000000, 0, 1), (1, ${MARCH_20}, 2, 3, 1000000, 500000, 2);
    INSERT INTO usage_months (month, org, agent, model, price, input_tokens, output_tokens, records) VALUES
      (202603, 3, 2, 1, 1, 2000000, 500000, 3);
    INSERT INTO usage_org_months (month, org, model, price, input_tokens, output_tokens, records) VALUES
      (202603, 3, 1, 1, 2000000, 500000, 3);
  `);
  db.close();
}

describe('migration 10: prices and usage by token category, tier and band', () => {
  let world: BillingWorld;

  beforeEach(() => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orgdeck-token-migration-'));
    version9Store(dataDir);
    world = openBillingWorld(CLOCK, { dataDir });
  });

  afterEach(() => world.cleanup());

  it('keeps every figure, with no cache or reasoning tokens and everything standard and below any band', async () => {
    // 2M input × $1 + 0.5M output × $2 = $3.
    expect(orgIn(await margins(world, '2026-03'), ACME)).toMatchObject({
      cost: '3.000000',
      input_tokens: 2_000_000,
      output_tokens: 500_000,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost_by_category: { input: '2.000000', output: '1.000000', cache_read: '0.000000' },
      cache_savings: '0.000000',
    });
    const tiersAndBands = world.backend.store.db
      .prepare(
        'SELECT DISTINCT tier, band FROM usage_days UNION SELECT DISTINCT tier, band FROM usage_months',
      )
      .all();
    expect(tiersAndBands).toEqual([{ tier: 0, band: 0 }]);
    expect(world.backend.store.db.prepare('SELECT count(*) AS n FROM usage_org_months').get()).toEqual({
      n: 1,
    });
  });

  it('re-sums a migrated month from its days when a price starts mid-month, cache rates included', async () => {
    await world.call('prices.set', {
      model: 'gpt-a',
      input: '3.00',
      output: '0.00',
      rates: [{ category: 'cache_read', price: '0.30' }],
      from: '2026-03-10',
    });
    // The 5th at $1 (1M input); the 20th at $3 input and nothing for output.
    expect(orgIn(await margins(world, '2026-03'), ACME)).toMatchObject({ cost: '4.000000' });
  });

  it('adds new rows with every column to the migrated sums', async () => {
    const job = await world.importText(
      'new.jsonl',
      `${JSON.stringify({
        timestamp: '2026-03-21T00:00:00Z',
        agent: 'ann',
        model: 'gpt-a',
        input_tokens: 1_000_000,
        output_tokens: 0,
        cache_read_tokens: 1_000_000,
      })}\n`,
    );
    expect(job).toMatchObject({ imported: 1 });
    // No cache_read price: at the input price, $1 more; and no savings.
    expect(orgIn(await margins(world, '2026-03'), ACME)).toMatchObject({
      cost: '5.000000',
      cache_read_tokens: 1_000_000,
      cache_savings: '0.000000',
    });
  });
});

describe('migration 10 from an empty store', () => {
  it('creates the rates table and rollups keyed by tier and band', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orgdeck-token-migration-empty-'));
    try {
      const db = openDatabase(join(dir, 'orgdeck.db'));
      const keys = (table: string) =>
        (
          db.prepare(`SELECT name, pk FROM pragma_table_info('${table}') WHERE pk > 0 ORDER BY pk`).all() as {
            name: string;
          }[]
        ).map((column) => column.name);
      expect(keys('usage_months')).toEqual(['month', 'org', 'agent', 'model', 'price', 'tier', 'band']);
      expect(keys('usage_org_months')).toEqual(['month', 'org', 'model', 'price', 'tier', 'band']);
      expect(keys('model_price_rates')).toEqual(['price', 'category', 'tier', 'above']);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

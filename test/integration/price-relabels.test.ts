import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openBackend } from '../../electron/backend/backend';
import { silentLogger } from '../../electron/backend/logger';
import { makeTempDir, removeDir } from '../fixtures/backend';
import {
  SLOW_MODEL,
  SPLIT_DAY,
  seedSlowRepricing,
  seedSlowSplitMonth,
  splitSums,
} from '../fixtures/slow-store';

/** Ten orgs' sums of SLOW_MODEL in each of 23 months from February 2025, under its first price. */
const ROWS = 230;

describe('a re-pricing a restart interrupted', () => {
  it('moves its remaining months to the new price at the next start, adding sums an import wrote meanwhile', async () => {
    const dataDir = makeTempDir('orgdeck-relabels-');
    try {
      await seedSlowRepricing(dataDir, ROWS);
      const crashed = openBackend({ dataDir, logger: silentLogger });
      const { store } = crashed;
      // The per-org sums, as an import keeps them beside the monthly ones (the seed writes only those).
      const orgSums = `INSERT INTO usage_org_months (month, org, model, price, tier, band, input_tokens,
           output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
         SELECT month, org, model, price, tier, band, input_tokens, output_tokens, cache_read_tokens,
           cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records FROM usage_months`;
      store.db.prepare(orgSums).run();
      // What a re-pricing from March writes first; the process stops before any month moves.
      store.writeTransaction(() => {
        store.prices.upsert(
          {
            model: SLOW_MODEL,
            effective_from: '2025-03-01',
            input_pico: 3_000_000,
            output_pico: 12_000_000,
            source: 'manual',
            created_at: '2026-01-01T00:00:00.000Z',
          },
          [],
        );
        store.usage.rebucketModel(SLOW_MODEL, '2025-03-01');
      });
      // An import meanwhile labelled its April sums for the first org with the new price already.
      store.db
        .prepare(
          `INSERT INTO usage_months (month, org, agent, model, price, tier, band, input_tokens, output_tokens,
             cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
           SELECT 202504, org, agent, model, (SELECT max(id) FROM model_prices), tier, band, 7, 0, 0, 0, 0, 0, 1
           FROM usage_months WHERE month = 202504 AND org = 1`,
        )
        .run();
      store.db
        .prepare(
          `INSERT INTO usage_org_months (month, org, model, price, tier, band, input_tokens, output_tokens,
             cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
           VALUES (202504, 1, (SELECT id FROM usage_refs WHERE kind = 'model' AND name = ?),
             (SELECT max(id) FROM model_prices), 0, 0, 7, 0, 0, 0, 0, 0, 1)`,
        )
        .run(SLOW_MODEL);
      store.close();

      const restarted = openBackend({ dataDir, logger: silentLogger });
      await restarted.resumed;
      restarted.close();

      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const byPrice = db
        .prepare(
          `SELECT p.effective_from AS price_from, count(*) AS rows, sum(u.input_tokens) AS input,
             min(u.month) AS first, max(u.month) AS last
           FROM usage_months u JOIN model_prices p ON p.id = u.price GROUP BY 1 ORDER BY 1`,
        )
        .all();
      const orgByPrice = db
        .prepare(
          `SELECT p.effective_from AS price_from, count(*) AS rows, sum(u.input_tokens) AS input
           FROM usage_org_months u JOIN model_prices p ON p.id = u.price GROUP BY 1 ORDER BY 1`,
        )
        .all();
      const april = db
        .prepare('SELECT input_tokens, records FROM usage_months WHERE month = 202504 AND org = 1')
        .all();
      const pending = db.prepare('SELECT count(*) FROM usage_relabels').pluck().get();
      db.close();

      expect(pending).toBe(0);
      // February stays under the first price; March on, every org's month is under the new one.
      expect(byPrice).toEqual([
        { price_from: '2025-01-01', rows: 10, input: 10 * 1000, first: 202502, last: 202502 },
        {
          price_from: '2025-03-01',
          rows: ROWS - 10,
          input: (ROWS - 10) * 1000 + 7,
          first: 202503,
          last: 202612,
        },
      ]);
      expect(april).toEqual([{ input_tokens: 1007, records: 2 }]);
      expect(orgByPrice).toEqual([
        { price_from: '2025-01-01', rows: 10, input: 10 * 1000 },
        { price_from: '2025-03-01', rows: ROWS - 10, input: (ROWS - 10) * 1000 + 7 },
      ]);
    } finally {
      removeDir(dataDir);
    }
  });

  it('sums a month split mid-month again at the next start, with the daily rows an import added between its writes', async () => {
    const dataDir = makeTempDir('orgdeck-resums-');
    try {
      // 3,100 daily rows over March 2025: 100 a day.
      await seedSlowSplitMonth(dataDir, 3_100);
      const crashed = openBackend({ dataDir, logger: silentLogger });
      const { store } = crashed;
      // What a re-pricing from mid-March writes, then ten days of the month (100 rows each) summed again, a write each.
      store.writeTransaction(() => {
        store.prices.upsert(
          {
            model: SLOW_MODEL,
            effective_from: SPLIT_DAY,
            input_pico: 3_000_000,
            output_pico: 12_000_000,
            source: 'manual',
            created_at: '2026-01-01T00:00:00.000Z',
          },
          [],
        );
        store.usage.rebucketModel(SLOW_MODEL, SPLIT_DAY);
      });
      for (let day = 0; day < 10; day++) store.writeTransaction(() => store.usage.resumNextStep());
      // Meanwhile an import added a row on the 2nd (already summed) and on the 20th (not yet), with
      // the monthly sums it keeps, each under its day's price.
      const newPrice = store.db.prepare('SELECT max(id) FROM model_prices').pluck().get() as number;
      const firstPrice = store.db.prepare('SELECT min(id) FROM model_prices').pluck().get() as number;
      const model = store.db
        .prepare("SELECT id FROM usage_refs WHERE kind = 'model' AND name = ?")
        .pluck()
        .get(SLOW_MODEL) as number;
      for (const [date, price] of [
        ['2025-03-02', firstPrice],
        ['2025-03-20', newPrice],
      ] as const) {
        store.db
          .prepare(
            `INSERT INTO usage_days (model, day, agent, org, tier, band, input_tokens, output_tokens, records, job)
             VALUES (?, unixepoch(?) / 86400, 1000, 1, 0, 0, 5000, 0, 1, 0)`,
          )
          .run(model, date);
        store.db
          .prepare(
            `INSERT INTO usage_months (month, org, agent, model, price, tier, band, input_tokens, output_tokens,
               cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
             VALUES (202503, 1, 1000, ?, ?, 0, 0, 5000, 0, 0, 0, 0, 0, 1)
             ON CONFLICT DO UPDATE SET input_tokens = input_tokens + 5000, records = records + 1`,
          )
          .run(model, price);
      }
      store.close();

      const restarted = openBackend({ dataDir, logger: silentLogger });
      await restarted.resumed;
      restarted.close();

      const { months, orgMonths, days: fromDays } = splitSums(join(dataDir, DATABASE_FILE));
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const agentOnFirst = db
        .prepare(
          `SELECT u.input_tokens FROM usage_months u JOIN model_prices p ON p.id = u.price
           WHERE u.org = 1 AND u.agent = 1000 AND p.effective_from = '2025-01-01'`,
        )
        .pluck()
        .get();
      const pending = db.prepare('SELECT count(*) FROM usage_month_resums').pluck().get();
      const staged = db.prepare('SELECT count(*) FROM usage_month_resum_sums').pluck().get();
      db.close();

      expect([pending, staged]).toEqual([0, 0]);
      expect(months).toEqual(fromDays);
      expect(orgMonths).toEqual(fromDays);
      // The import's row on the 2nd counted once: the seed's rows of that org and agent that day, plus it.
      expect(agentOnFirst).toBeGreaterThan(5000);
      expect(fromDays).toEqual([
        expect.objectContaining({ price_from: '2025-01-01', records: 1_400 + 1 }),
        expect.objectContaining({ price_from: SPLIT_DAY, records: 1_700 + 1 }),
      ]);
    } finally {
      removeDir(dataDir);
    }
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openBackend } from '../../electron/backend/backend';
import { silentLogger } from '../../electron/backend/logger';
import type { Store } from '../../electron/backend/store/store';
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

/** The per-org sums, as an import keeps them beside the monthly ones (the slow seed writes only those). */
function addOrgSums(store: Store): void {
  store.db
    .prepare(
      `INSERT INTO usage_org_months (month, org, model, price, tier, band, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
       SELECT month, org, model, price, tier, band, sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),
         sum(cache_write_tokens), sum(cache_write_1h_tokens), sum(reasoning_tokens), sum(records)
       FROM usage_months GROUP BY month, org, model, price, tier, band`,
    )
    .run();
}

/** What a re-pricing of SLOW_MODEL from `from` (YYYY-MM-DD) writes first, before any month moves. */
function repriceFrom(store: Store, from: string): void {
  store.writeTransaction(() => {
    store.prices.upsert(
      {
        model: SLOW_MODEL,
        effective_from: from,
        input_pico: 3_000_000,
        output_pico: 12_000_000,
        source: 'manual',
        created_at: '2026-01-01T00:00:00.000Z',
      },
      [],
    );
    store.usage.rebucketModel(SLOW_MODEL, from);
  });
}

describe('a re-pricing a restart interrupted', () => {
  it('moves its remaining months to the new price at the next start, adding sums an import wrote meanwhile', async () => {
    const dataDir = makeTempDir('orgdeck-relabels-');
    try {
      await seedSlowRepricing(dataDir, ROWS);
      const crashed = openBackend({ dataDir, logger: silentLogger });
      const { store } = crashed;
      addOrgSums(store);
      // What a re-pricing from March writes first; the process stops before any month moves.
      repriceFrom(store, '2025-03-01');
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
      repriceFrom(store, SPLIT_DAY);
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

describe('a re-pricing of months of many orgs', () => {
  it("moves a month some orgs per write, each org under one price in its agents' sums and its own", async () => {
    const dataDir = makeTempDir('orgdeck-relabel-steps-');
    try {
      // 50 orgs of 60 agents in each of 23 months: 3,000 monthly sums a month.
      await seedSlowRepricing(dataDir, 23 * 3_000);
      const backend = openBackend({ dataDir, logger: silentLogger });
      const { store } = backend;
      addOrgSums(store);
      repriceFrom(store, '2025-03-01');
      const priceOfMarch = (table: 'usage_months' | 'usage_org_months') =>
        store.db
          .prepare(
            `SELECT org, p.effective_from AS price_from, count(*) AS sums, sum(input_tokens) AS input
             FROM ${table} u JOIN model_prices p ON p.id = u.price WHERE month = 202503
             GROUP BY org, price ORDER BY org, price`,
          )
          .all() as { org: number; price_from: string; sums: number; input: number }[];

      store.writeTransaction(() => store.usage.relabelNextStep());
      const agents = priceOfMarch('usage_months');
      const orgs = priceOfMarch('usage_org_months');
      const moved = agents.filter((sums) => sums.price_from === '2025-03-01');
      // One write moved some of the month's orgs, not all 3,000 sums at once...
      expect(moved.length).toBeGreaterThan(0);
      expect(moved.reduce((rows, sums) => rows + sums.sums, 0)).toBeLessThan(1_200);
      // ...and each org whole: under one price, its per-org sum under the same one and equal to its agents'.
      expect(agents.map(({ org }) => org)).toEqual([...new Set(agents.map(({ org }) => org))]);
      expect(orgs.map(({ org, price_from, input }) => ({ org, price_from, input }))).toEqual(
        agents.map(({ org, price_from, input }) => ({ org, price_from, input })),
      );

      // A write that moved the next orgs and was then rolled back (a later step of it failed): they are
      // still to move, though the repo's note of where the month left off says otherwise.
      expect(() =>
        store.writeTransaction(() => {
          store.usage.relabelNextStep();
          throw new Error('a later step failed');
        }),
      ).toThrow('a later step failed');
      await backend.resumed;
      while (store.usage.relabelPending()) store.writeTransaction(() => store.usage.relabelNextStep());
      expect(new Set(priceOfMarch('usage_months').map(({ price_from }) => price_from))).toEqual(
        new Set(['2025-03-01']),
      );
      expect(priceOfMarch('usage_org_months')).toHaveLength(50);
      backend.close();
    } finally {
      removeDir(dataDir);
    }
  });
});

describe('a re-pricing from mid-month of a month of many orgs', () => {
  it("puts the month's new sums in place some orgs per write, and after a restart goes on from the next org", async () => {
    const dataDir = makeTempDir('orgdeck-resum-swap-');
    try {
      // 2,000 agents of 50 orgs, a row a day each over March 2025: 4,000 monthly sums once split.
      await seedSlowSplitMonth(dataDir, 31 * 2_000);
      const crashed = openBackend({ dataDir, logger: silentLogger });
      const { store } = crashed;
      await crashed.resumed;
      repriceFrom(store, SPLIT_DAY);
      const daysLeft = store.db.prepare(
        `SELECT count(*) FROM usage_month_resums WHERE next_day < unixepoch('2025-04-01') / 86400`,
      );
      while (daysLeft.pluck().get() !== 0) store.writeTransaction(() => store.usage.resumNextStep());
      const pricesByOrg = (table: 'usage_months' | 'usage_org_months') =>
        store.db
          .prepare(
            `SELECT org, count(DISTINCT price) AS prices, sum(input_tokens) AS input, sum(records) AS records
             FROM ${table} GROUP BY org ORDER BY org`,
          )
          .all() as { org: number; prices: number; input: number; records: number }[];

      // Every day summed: one write puts the new sums of some orgs, whole, in place of their old ones,
      // and the store notes where the next one starts.
      store.writeTransaction(() => store.usage.resumNextStep());
      expect(store.db.prepare('SELECT next_org FROM usage_month_resums').pluck().get()).toBeGreaterThan(0);
      const agents = pricesByOrg('usage_months');
      const swapped = agents.filter(({ prices }) => prices === 2).map(({ org }) => org);
      expect(swapped.length).toBeGreaterThan(0);
      expect(swapped.length).toBeLessThan(50);
      expect(agents.filter(({ prices }) => prices === 1)).toHaveLength(50 - swapped.length);
      expect(pricesByOrg('usage_org_months')).toEqual(agents);

      // An import meanwhile adds a row on the 20th for a swapped org and for one not yet, with the
      // monthly sums it keeps under the new price.
      const model = store.db
        .prepare("SELECT id FROM usage_refs WHERE kind = 'model' AND name = ?")
        .pluck()
        .get(SLOW_MODEL) as number;
      const newPrice = store.db.prepare('SELECT max(id) FROM model_prices').pluck().get() as number;
      const notSwapped = agents.find(({ prices }) => prices === 1)?.org as number;
      for (const org of [swapped[0] as number, notSwapped]) {
        const agent = store.db
          .prepare('SELECT min(agent) FROM usage_months WHERE org = ?')
          .pluck()
          .get(org) as number;
        store.writeTransaction(() => {
          store.db
            .prepare(
              `INSERT INTO usage_days (model, day, agent, org, tier, band, input_tokens, output_tokens, records, job)
               VALUES (?, unixepoch('2025-03-20') / 86400, ?, ?, 0, 0, 5000, 0, 1, 0)`,
            )
            .run(model, agent, org);
          for (const table of ['usage_months', 'usage_org_months'] as const)
            store.db
              .prepare(
                `INSERT INTO ${table} (month, org, ${table === 'usage_months' ? 'agent, ' : ''}model, price, tier, band,
                   input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
                   reasoning_tokens, records)
                 VALUES (202503, :org, ${table === 'usage_months' ? ':agent, ' : ''}:model, :price, 0, 0, 5000, 0, 0, 0, 0, 0, 1)
                 ON CONFLICT DO UPDATE SET input_tokens = input_tokens + 5000, records = records + 1`,
              )
              .run(
                table === 'usage_months'
                  ? { org, agent, model, price: newPrice }
                  : { org, model, price: newPrice },
              );
        });
      }
      store.close();

      const restarted = openBackend({ dataDir, logger: silentLogger });
      await restarted.resumed;
      restarted.close();

      const { months, orgMonths, days: fromDays } = splitSums(join(dataDir, DATABASE_FILE));
      expect(months).toEqual(fromDays);
      expect(orgMonths).toEqual(fromDays);
      expect(fromDays).toEqual([
        expect.objectContaining({ price_from: '2025-01-01', records: 14 * 2_000 }),
        expect.objectContaining({ price_from: SPLIT_DAY, records: 17 * 2_000 + 2 }),
      ]);
    } finally {
      removeDir(dataDir);
    }
  });
});

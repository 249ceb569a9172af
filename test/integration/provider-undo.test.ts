// Issue 16 with issue 14's finding 6: a provider export (OpenAI's or Anthropic's buckets, which a
// re-export replaces) is undone like a usage file: exactly what it brought leaves every rollup, what
// it replaced is back, and a later export that replaced it replaces what it had replaced instead.
// Checked against the independent billing reference, from the exports' raw fields.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asEveryOrg, onPostgresProject } from '../fixtures/backend';
import {
  archiveDay,
  assign,
  type BillingWorld,
  comparable,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
} from '../fixtures/billing';
import {
  expectedReport,
  type RefAgent,
  type RefCategory,
  type RefOrg,
  type RefPrice,
  type RefRecord,
  type RefTier,
} from '../fixtures/billing-reference';
import { ownerSession } from '../fixtures/tenants';

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const MONTH = '2026-10';
const STAYS_FROM = Date.parse('2026-09-01T00:00:00Z');

type Result = Record<string, unknown> & {
  uncached_input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  api_key_id: string;
  model: string;
  service_tier: string;
  context_window: string;
};
interface Export {
  data: { starting_at: string; ending_at: string; results: Result[] }[];
}

const FIRST: Export = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/usage-exports/anthropic-messages-usage.json'), 'utf8'),
);
/** The same month downloaded again, with the export's day 2 (triage-bot's bucket) grown as given. */
function withDayTwo(uncached: number, output: number): Export {
  const grown: Export = structuredClone(FIRST);
  Object.assign(grown.data[1]?.results[0] ?? {}, { uncached_input_tokens: uncached, output_tokens: output });
  return grown;
}

/** $/M as prices.set takes it → pico-USD per token, as the reference takes it. */
const pico = (perMillion: string) => BigInt(Math.round(Number(perMillion) * 1_000_000));
const PRICES: { model: string; input: string; output: string; rates: [string, string, string][] }[] = [
  {
    model: SONNET,
    input: '3.00',
    output: '15.00',
    rates: [
      ['cache_read', 'standard', '0.30'],
      ['cache_write', 'standard', '3.75'],
      ['cache_write_1h', 'standard', '6.00'],
      ['input', 'batch', '1.50'],
      ['output', 'batch', '7.50'],
    ],
  },
  { model: HAIKU, input: '1.00', output: '5.00', rates: [['cache_read', 'priority', '0.17']] },
];
const REF_PRICES: RefPrice[] = PRICES.map(({ model, input, output, rates }) => ({
  model,
  from: '2026-01-01',
  inputPico: pico(input),
  outputPico: pico(output),
  rates: rates.map(([category, tier, price]) => ({
    category: category as RefCategory,
    tier: tier as RefTier,
    above: 0,
    pico: pico(price),
  })),
}));

const KEYS: Record<string, string> = { apikey_01Support: 'support-bot', apikey_01Triage: 'triage-bot' };

/** The reference's records straight from an export's fields (Anthropic's counts are all separate). */
const recordsOf = (page: Export, keep: (day: string) => boolean = () => true): RefRecord[] =>
  page.data.flatMap((bucket) =>
    keep(bucket.starting_at.slice(0, 10))
      ? bucket.results.map((result) => ({
          ms: Date.parse(bucket.starting_at),
          handle: KEYS[result.api_key_id] as string,
          model: result.model,
          input: BigInt(result.uncached_input_tokens),
          output: BigInt(result.output_tokens),
          cacheRead: BigInt(result.cache_read_input_tokens),
          cacheWrite: BigInt(result.cache_creation.ephemeral_5m_input_tokens),
          cacheWrite1h: BigInt(result.cache_creation.ephemeral_1h_input_tokens),
          tier: result.service_tier.startsWith('priority') ? 'priority' : (result.service_tier as RefTier),
          requests: 1n,
          longContext: result.context_window === '200k-1M',
        }))
      : [],
  );

describe('undoing a provider export', () => {
  let world: BillingWorld;
  let refOrg: RefOrg;
  let refAgents: RefAgent[];

  beforeEach(async () => {
    world = openBillingWorld('2026-10-20T00:00:00Z');
    const org = await createOrg(world, 'Acme', '30.00');
    refOrg = { id: org.id, rateCents: 3000n, mode: 'prorated', inactive: [] };
    refAgents = [];
    for (const handle of ['support-bot', 'triage-bot']) {
      const agent = await createAgent(world, handle);
      await assign(world, agent.id, org.id, '2026-09-01T00:00:00Z');
      refAgents.push({
        id: agent.id,
        handle,
        overrideCents: null,
        stays: [{ orgId: org.id, from: STAYS_FROM, to: Number.POSITIVE_INFINITY }],
      });
      const key = Object.keys(KEYS).find((value) => KEYS[value] === handle) as string;
      await world.call('aliases.add', {
        agentId: agent.id,
        source: 'anthropic',
        kind: 'api_key',
        value: key,
      });
    }
    for (const { model, input, output, rates } of PRICES)
      await world.call('prices.set', {
        model,
        input,
        output,
        from: '2026-01-01',
        rates: rates.map(([category, tier, price]) => ({ category, tier, above: 0, price })),
      });
  });
  afterEach(() => world.cleanup());

  const importExport = (name: string, page: Export) => world.importText(name, JSON.stringify(page));
  const undo = (jobId: string) => world.call('usage.undo', { jobId });
  const report = () => margins(world, MONTH);
  /** The report agrees with the reference computed from these records alone. */
  const agreesWith = async (records: RefRecord[]) =>
    expect(comparable(await report())).toEqual(
      expectedReport(MONTH, [refOrg], refAgents, REF_PRICES, records, world.clock.now().getTime()),
    );

  it('puts back the counts a re-export replaced, and importing it again gives the same report', async () => {
    await importExport('first.json', FIRST);
    const afterFirst = await report();
    await agreesWith(recordsOf(FIRST));
    const grown = withDayTwo(4_000, 1_000);
    const second = await importExport('second.json', grown);
    expect(second).toMatchObject({ imported: 1, skipped: 2 });
    const afterBoth = await report();
    expect(afterBoth.totals.cost).not.toBe(afterFirst.totals.cost);
    await agreesWith(recordsOf(grown));

    expect(await undo(second.id)).toMatchObject({ id: second.id, undoneAt: '2026-10-20T00:00:00.000Z' });
    expect(await report()).toEqual(afterFirst);
    await agreesWith(recordsOf(FIRST));
    // The bucket record is back at the first export's counts: the same re-export replaces them again.
    const again = await importExport('second.json', grown);
    expect(again).toMatchObject({ imported: 1, skipped: 2 });
    expect(await report()).toEqual(afterBoth);
    await agreesWith(recordsOf(grown));
  });

  it('undoes an export in the middle of a chain of re-exports, then the rest, down to nothing', async () => {
    const first = await importExport('first.json', FIRST);
    const second = await importExport('second.json', withDayTwo(4_000, 1_000));
    const third = await importExport('third.json', withDayTwo(9_000, 3_000));
    expect(third).toMatchObject({ imported: 1, skipped: 2 });

    // As if the second had never been imported: the third replaced the first's day 2.
    await undo(second.id);
    const thirdOverFirst = [
      ...recordsOf(FIRST, (day) => day !== '2026-10-02'),
      ...recordsOf(withDayTwo(9_000, 3_000), (day) => day === '2026-10-02'),
    ];
    await agreesWith(thirdOverFirst);

    // Undoing the third now puts the first's day 2 back (the second's was taken out of the chain).
    await undo(third.id);
    await agreesWith(recordsOf(FIRST));

    // Undoing the first leaves nothing, and importing it again counts all of it afresh.
    await undo(first.id);
    await agreesWith([]);
    const buckets = await asEveryOrg(world.backend, (db) =>
      Number(db.prepare('SELECT count(*) FROM usage_buckets').pluck().get()),
    );
    expect(buckets).toBe(0);
    expect(await importExport('first.json', FIRST)).toMatchObject({ imported: 3, skipped: 0 });
    await agreesWith(recordsOf(FIRST));
  });

  it('undoing an earlier export keeps what a later one replaced it with', async () => {
    const first = await importExport('first.json', FIRST);
    await importExport('second.json', withDayTwo(4_000, 1_000));
    await undo(first.id);
    // Day 1's buckets were the first export's (the second carried them unchanged: skipped, as a
    // row already imported is); day 2 holds the second's grown counts, which replaced the first's.
    await agreesWith(recordsOf(withDayTwo(4_000, 1_000), (day) => day === '2026-10-02'));
  });

  it('replaces the one row an older Orgdeck kept of results grouped by a field it did not read, and undoes that', async () => {
    await importExport('first.json', FIRST);
    // As an older Orgdeck left the buckets: keyed without the inference geo, with no end kept.
    await asEveryOrg(world.backend, (db) =>
      db.prepare('UPDATE usage_buckets SET bucket_end = NULL, requests = NULL').run(),
    );
    // The month exported grouped by inference_geo as well: 1 October's standard sonnet result comes
    // in two, global and US, which sum to it.
    const byGeo: Export = structuredClone(FIRST);
    for (const bucket of byGeo.data) for (const result of bucket.results) result.inference_geo = 'global';
    const [support] = byGeo.data[0]?.results ?? [];
    const us: Result = {
      ...structuredClone(support as Result),
      inference_geo: 'us',
      uncached_input_tokens: 5_000,
      cache_read_input_tokens: 180_000,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: 3_000,
    };
    Object.assign(support ?? {}, {
      uncached_input_tokens: 10_000,
      cache_read_input_tokens: 300_000,
      output_tokens: 6_000,
    });
    byGeo.data[0]?.results.push(us);
    const grouped = await importExport('by-geo.json', byGeo);
    expect(grouped).toMatchObject({ status: 'done', imported: 4 });
    await agreesWith(recordsOf(byGeo));
    await agreesWith(recordsOf(FIRST));

    await undo(grouped.id);
    await agreesWith(recordsOf(FIRST));
    expect(await importExport('by-geo.json', byGeo)).toMatchObject({ imported: 4 });
    await agreesWith(recordsOf(FIRST));
  });

  // PostgreSQL writes an archive's days with its org, in one transaction: none are ever staged.
  it.skipIf(onPostgresProject())(
    'undoes an export while an org archive import writes its days: the new org counts them once',
    async () => {
      const first = await importExport('first.json', FIRST);
      const { store, everyOrg } = world.backend;
      const archivedOrg = randomUUID();
      // The archive's days, written under its org before the org exists, as an import in steps does.
      const staged = await store.asServer(everyOrg, () =>
        store.writeTransaction(() => {
          const started = store.usage.startOrgDays(archivedOrg);
          store.archiveImports.begin(
            { org_ref: started.org, since: started.since },
            '2026-10-20T00:00:00.000Z',
          );
          store.usage.orgDayWriter(started.org, started.since)(archiveDay(SONNET, '2026-10-05', 7_000));
          return started;
        }),
      );
      // The undo sums the export's model's month again from its days, between the archive's writes.
      await undo(first.id);
      await agreesWith([]);
      await store.asServer(everyOrg, () =>
        store.writeTransaction(() => {
          store.usage.finishOrgDays(staged.org, staged.since);
          store.archiveImports.end(staged.org);
        }),
      );
      const archivedInput = await store.asServer(everyOrg, () =>
        store.usage
          .orgMonthByAgentModel(MONTH, archivedOrg)
          .reduce((sum, row) => sum + Number(row.input_tokens), 0),
      );
      expect(archivedInput).toBe(7_000);
    },
  );

  it('refuses a bucket export made before imports kept what they replaced, and changes nothing', async () => {
    const job = await importExport('first.json', FIRST);
    world.backend.store.db.prepare('UPDATE usage_jobs SET keeps_replaced_buckets = 0').run();
    const before = await report();
    const refused = await world.backend.router.call('usage.undo', { jobId: job.id }, ownerSession());
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/older version/) },
    });
    expect(await report()).toEqual(before);
  });
});

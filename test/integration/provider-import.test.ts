import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_OWNER } from '../../electron/backend/services/principal';
import { asEveryOrg } from '../fixtures/backend';
import {
  agentIn,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
  uploadAndImport,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { ownerSession } from '../fixtures/tenants';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/usage-exports', name), 'utf8');
const ANTHROPIC = fixture('anthropic-messages-usage.json');
const SONNET = 'claude-sonnet-4-5-20250929';
const OPUS = 'claude-opus-4-6';

/**
 * Acme with two agents from September on; sonnet at $3 input and $15 output per million. These
 * tests run over today's two rollup columns: uncached input and output (the cache categories
 * reach the rollups with the category columns).
 */
async function setUp(world: BillingWorld) {
  const org = await createOrg(world, 'Acme', '30.00');
  const agents: Record<string, string> = {};
  for (const handle of ['support-bot', 'triage-bot']) {
    const agent = await createAgent(world, handle);
    await assign(world, agent.id, org.id, '2026-09-01T00:00:00Z');
    agents[handle] = agent.id;
  }
  await setPrice(world, SONNET, '3.00', '15.00', '2026-01-01');
  return { orgId: org.id, agents };
}

describe('importing provider exports', () => {
  let world: BillingWorld;
  let orgId: string;
  let agents: Record<string, string>;
  const alias = (handle: string, source: string, kind: string, value: string) =>
    world.call('aliases.add', { agentId: agents[handle], source, kind, value });
  const october = async (handle: string) => agentIn(orgIn(await margins(world, '2026-10'), orgId), handle);

  beforeEach(async () => {
    world = openBillingWorld('2026-10-20T00:00:00Z');
    ({ orgId, agents } = await setUp(world));
  });
  afterEach(() => world.cleanup());

  it('reports identities with no alias as unmatched, leaves their rows out, and counts them once mapped', async () => {
    const first = await world.importText('anthropic.json', ANTHROPIC);
    expect(first).toMatchObject({ status: 'done', format: 'anthropic', imported: 0, bad: 0 });
    // apikey_01Support: 15,000 + 250,000 uncached, 480,000 reads, 20,000 + 4,000 writes, 9,000 + 2,000 output.
    expect(first.unmatched).toEqual([
      {
        source: 'anthropic',
        kind: 'api_key',
        value: 'apikey_01Support',
        rows: 2,
        input_tokens: 265_000,
        cache_read_tokens: 480_000,
        cache_write_tokens: 20_000,
        cache_write_1h_tokens: 4_000,
        cache_write_total_tokens: 24_000,
        output_tokens: 11_000,
        reasoning_tokens: 0,
      },
      expect.objectContaining({ value: 'apikey_01Triage', rows: 1, input_tokens: 1_000, output_tokens: 400 }),
    ]);
    expect(orgIn(await margins(world, '2026-10'), orgId).input_tokens).toBe(0);

    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    const second = await world.importText('anthropic.json', ANTHROPIC);
    expect(second).toMatchObject({ imported: 2, skipped: 0 });
    expect(second.unmatched.map((identity) => identity.value)).toEqual(['apikey_01Triage']);
    // Every category priced (no cache, batch or band prices set: all fall back to the standard input
    // and output prices; reads alone would have been $0.96), by hand: 0-200k row (15,000 + 480,000 + 20,000 + 4,000) × $3
    // + 9,000 × $15 = $1.692; 200k-1M batch row 250,000 × $3 + 2,000 × $15 = $0.78; $2.472 in all.
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
    expect(Number((await october('support-bot')).cost)).toBeCloseTo(2.472, 6);
  });

  it('replaces a bucket re-exported with a grown day instead of adding it, and skips one unchanged', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    await alias('triage-bot', 'anthropic', 'api_key', 'apikey_01Triage');
    await world.importText('anthropic.json', ANTHROPIC);
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });

    // The same month downloaded a day later: 2 October grew from 1,000/400 to 4,000/1,000.
    const grown = JSON.parse(ANTHROPIC);
    Object.assign(grown.data[1].results[0], { uncached_input_tokens: 4_000, output_tokens: 1_000 });
    const again = await world.importText('anthropic-later.json', JSON.stringify(grown));
    expect(again).toMatchObject({ imported: 1, skipped: 2, unmatched: [] });
    expect(await october('triage-bot')).toMatchObject({ input_tokens: 4_000, output_tokens: 1_000 });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
    const acme = orgIn(await margins(world, '2026-10'), orgId);
    expect(acme).toMatchObject({ input_tokens: 269_000, output_tokens: 12_000 });

    // The same again changes nothing.
    expect(await world.importText('anthropic-later.json', JSON.stringify(grown))).toMatchObject({
      imported: 0,
      skipped: 3,
    });
    expect(orgIn(await margins(world, '2026-10'), orgId)).toMatchObject({ input_tokens: 269_000 });
  });

  it('moves a bucket’s counts with its alias when a re-export lands on another agent', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    await world.importText('anthropic.json', ANTHROPIC);
    await world.call('aliases.remove', { source: 'anthropic', kind: 'api_key', value: 'apikey_01Support' });
    await alias('triage-bot', 'anthropic', 'api_key', 'apikey_01Support');
    await world.importText('anthropic.json', ANTHROPIC);
    expect(await october('triage-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 0, output_tokens: 0 });
  });

  it('counts every result of a bucket grouped by fields it does not price, and replaces each on a re-export', async () => {
    await setPrice(world, OPUS, '5.00', '25.00', '2026-01-01');
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    // group_by[]=api_key_id,model,service_tier,context_window,inference_geo,speed: one day of opus in
    // five results, by inference geo (global, us), speed (standard, fast) and the two service tiers
    // priced as priority (priority, priority_on_demand).
    const grouped = fixture('anthropic-messages-usage-by-geo-and-speed.json');
    expect(await world.importText('by-geo.json', grouped)).toMatchObject({
      status: 'done',
      imported: 5,
      bad: 0,
    });
    // 100,000 + 40,000 + 10,000 + 5,000 + 3,000 input × $5 = $0.79; 20,000 + 8,000 + 2,000 + 1,000 +
    // 500 output × $25 = $0.7875 (no priority price: the standard ones). $1.5775 in all.
    expect(await october('support-bot')).toMatchObject({
      input_tokens: 158_000,
      output_tokens: 31_500,
      cost: '1.577500',
    });

    expect(await world.importText('by-geo.json', grouped)).toMatchObject({ imported: 0, skipped: 5 });
    // Downloaded again a day later: the US result grew to 100,000 input and 20,000 output.
    const grown = JSON.parse(grouped);
    Object.assign(grown.data[0].results[1], { uncached_input_tokens: 100_000, output_tokens: 20_000 });
    const later = await world.importText('by-geo-later.json', JSON.stringify(grown));
    expect(later).toMatchObject({ imported: 1, skipped: 4 });
    // 218,000 × $5 = $1.09 + 43,500 × $25 = $1.0875.
    expect(await october('support-bot')).toMatchObject({
      input_tokens: 218_000,
      output_tokens: 43_500,
      cost: '2.177500',
    });
    // Undone, the later download gives the US result its first counts back, and its neighbours
    // (other geos and speeds of the same bucket, untouched) stay as they were.
    await world.call('usage.undo', { jobId: later.id });
    expect(await october('support-bot')).toMatchObject({
      input_tokens: 158_000,
      output_tokens: 31_500,
      cost: '1.577500',
    });
  });

  it('refuses an export that leaves out a bucket an export grouped otherwise brought, changing nothing', async () => {
    await setPrice(world, OPUS, '5.00', '25.00', '2026-01-01');
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    const byGeo = fixture('anthropic-messages-usage-by-geo-and-speed.json');
    // The same day exported without group_by[]=inference_geo,speed: the same counts in all, results
    // of one tier summed in one bucket.
    const ungrouped = JSON.parse(byGeo);
    for (const result of ungrouped.data[0].results)
      Object.assign(result, { inference_geo: null, speed: null });
    const all = { input_tokens: 158_000, output_tokens: 31_500, cost: '1.577500' };

    const first = await world.importText('ungrouped.json', JSON.stringify(ungrouped));
    expect(first).toMatchObject({ status: 'done', imported: 5 });
    expect(await october('support-bot')).toMatchObject(all);
    const refusal = await world.importText('by-geo.json', byGeo);
    expect(refusal).toMatchObject({ status: 'failed', imported: 0 });
    expect(refusal.error).toContain(
      "This export's bucket 2026-10-01T00:00:00Z to 2026-10-02T00:00:00Z (1 day) for anthropic api_key apikey_01Support, claude-opus-4-6, priority (of inference_geo global, speed standard) leaves out the one grouped by no other field imported before",
    );
    expect(refusal.error).toContain('undo that import first; nothing from this file was imported.');
    // Counted once, not twice.
    expect(await october('support-bot')).toMatchObject(all);

    // Undone first, the grouped export replaces it; the ungrouped one is then refused in turn.
    await world.call('usage.undo', { jobId: first.id });
    expect(await world.importText('by-geo.json', byGeo)).toMatchObject({ status: 'done', imported: 5 });
    expect(await october('support-bot')).toMatchObject(all);
    expect(await world.importText('ungrouped.json', JSON.stringify(ungrouped))).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(
        '(grouped by no other field) leaves out the one of inference_geo global',
      ),
    });
    expect(await october('support-bot')).toMatchObject(all);
  });

  it('takes a re-export grouped as before whose rows leave grouping values empty, some buckets grown and some not', async () => {
    await setPrice(world, OPUS, '5.00', '25.00', '2026-01-01');
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    // Grouped by account_id too, in the morning: the API key's own usage names no account (null), so
    // nothing in the rows says the export was grouped by it.
    const export_ = JSON.parse(fixture('anthropic-messages-usage-by-geo-and-speed.json'));
    const results = export_.data[0].results;
    expect(await world.importText('morning.json', JSON.stringify(export_))).toMatchObject({
      status: 'done',
      imported: 5,
    });
    // By the evening one result grew and a user's account used the key in the US; four did not change.
    Object.assign(results[0], { uncached_input_tokens: 160_000, output_tokens: 32_000 });
    results.push({
      ...results[1],
      uncached_input_tokens: 50_000,
      output_tokens: 10_000,
      account_id: 'user_01Ann',
    });
    expect(await world.importText('evening.json', JSON.stringify(export_))).toMatchObject({
      status: 'done',
      imported: 2,
      skipped: 4,
    });
    // 160,000 + 40,000 + 50,000 + 10,000 + 5,000 + 3,000 = 268,000 × $5 = $1.34; 32,000 + 8,000 +
    // 10,000 + 2,000 + 1,000 + 500 = 53,500 × $25 = $1.3375.
    expect(await october('support-bot')).toMatchObject({
      input_tokens: 268_000,
      output_tokens: 53_500,
      cost: '2.677500',
    });
  });

  it('learns the end of a bucket an older Orgdeck imported when it comes again unchanged, and then refuses hours over it', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    expect(await world.importText('daily.json', ANTHROPIC)).toMatchObject({ status: 'done', imported: 2 });
    // As an older Orgdeck left the buckets: no end kept.
    await asEveryOrg(world.backend, (db) =>
      db.prepare('UPDATE usage_buckets SET bucket_end = NULL, requests = NULL').run(),
    );
    expect(await world.importText('daily.json', ANTHROPIC)).toMatchObject({ imported: 0, skipped: 2 });
    const daily = await october('support-bot');
    const hourly = await world.importText('hourly.json', fixture('anthropic-messages-usage-hourly.json'));
    expect(hourly).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('(1 day) imported before'),
    });
    expect(await october('support-bot')).toEqual(daily);
  });

  it('sums the results of an OpenAI bucket whose service tiers are priced as one', async () => {
    await setPrice(world, 'gpt-4o-2024-08-06', '2.50', '10.00', '2026-01-01');
    await alias('support-bot', 'openai', 'api_key', 'key_support');
    // group_by=api_key_id,model,batch,service_tier: "default" and "auto" are both the standard tier.
    const job = await world.importText('openai.json', fixture('openai-completions-by-service-tier.json'));
    expect(job).toMatchObject({ status: 'done', imported: 2, bad: 0 });
    // (120,000 − 100,000 cached) + 30,000 = 50,000 uncached and 100,000 cache reads (no price of
    // their own: input's), 150,000 × $2.50 = $0.375; 8,000 + 5,000 output × $10 = $0.13.
    expect(await october('support-bot')).toMatchObject({
      input_tokens: 50_000,
      output_tokens: 13_000,
      cost: '0.505000',
    });
  });

  it('refuses a daily export over hours already imported, changing nothing, and takes it once they are undone', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    // 1 October by the hour (bucket_width=1h): the same usage as the daily export's 1 October.
    const hourly = await world.importText('hourly.json', fixture('anthropic-messages-usage-hourly.json'));
    expect(hourly).toMatchObject({ status: 'done', imported: 3 });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
    const byTheHour = await margins(world, '2026-10');

    // The day's bucket would replace none of the hours (none starts at midnight): the day counted twice.
    const daily = await world.importText('daily.json', ANTHROPIC);
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
    expect(await margins(world, '2026-10')).toEqual(byTheHour);
    expect(daily).toMatchObject({
      status: 'failed',
      imported: 0,
      error: expect.stringContaining(
        'bucket 2026-10-01T00:00:00Z to 2026-10-02T00:00:00Z (1 day) overlaps the bucket ' +
          '2026-10-01T09:00:00Z to 2026-10-01T10:00:00Z (1 hour) imported before',
      ),
    });

    await world.call('usage.undo', { jobId: hourly.id });
    expect(await world.importText('daily.json', ANTHROPIC)).toMatchObject({ status: 'done', imported: 2 });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
    // The hours over the day are refused alike.
    expect(
      await world.importText('hourly.json', fixture('anthropic-messages-usage-hourly.json')),
    ).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(
        'bucket 2026-10-01T09:00:00Z to 2026-10-01T10:00:00Z (1 hour) overlaps the bucket ' +
          '2026-10-01T00:00:00Z to 2026-10-02T00:00:00Z (1 day) imported before',
      ),
    });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 265_000, output_tokens: 11_000 });
  });

  it('refuses buckets of different widths over the same usage however they meet, changing nothing', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    /** An Anthropic export of the support key's sonnet usage: one result per [start, end, geo] bucket. */
    const exportOf = (...buckets: [string, string, string?][]) =>
      JSON.stringify({
        data: buckets.map(([start, end, geo]) => ({
          starting_at: `2026-10-${start}Z`,
          ending_at: `2026-10-${end}Z`,
          results: [
            {
              uncached_input_tokens: 1_000,
              cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
              cache_read_input_tokens: 0,
              output_tokens: 100,
              api_key_id: 'apikey_01Support',
              model: SONNET,
              service_tier: 'standard',
              ...(geo === undefined ? {} : { inference_geo: geo }),
            },
          ],
        })),
        has_more: false,
        next_page: null,
      });
    const refused = (where: string) => ({
      status: 'failed',
      imported: 0,
      error: expect.stringContaining(where),
    });
    const HOUR = ['01T00:00:00', '01T01:00:00'] as const;
    const DAY = ['01T00:00:00', '02T00:00:00'] as const;

    // Both widths in one file, the day listed after an hour inside it.
    expect(
      await world.importText('both.json', exportOf(['01T09:00:00', '01T10:00:00'], [...DAY])),
    ).toMatchObject(refused('(1 hour) also in this export for the same usage'));
    // The same start at two widths in one file: the hour, then the day starting with it.
    expect(await world.importText('same-start.json', exportOf([...HOUR], [...DAY]))).toMatchObject(
      refused('(1 hour) also in this export for the same usage'),
    );
    expect(await october('support-bot')).toMatchObject({ input_tokens: 0 });

    // The first hour, then the day starting with it: the same key, so the day would replace the
    // hour and lose the other 23.
    expect(await world.importText('hour.json', exportOf([...HOUR]))).toMatchObject({
      status: 'done',
      imported: 1,
    });
    expect(await world.importText('day.json', exportOf([...DAY]))).toMatchObject(
      refused('2026-10-01T00:00:00Z to 2026-10-01T01:00:00Z (1 hour) imported before'),
    );
    // The same start and another width, grouped by a field the hour's export was not grouped by.
    expect(await world.importText('day-geo.json', exportOf([...DAY, 'global']))).toMatchObject(
      refused('2026-10-01T00:00:00Z to 2026-10-01T01:00:00Z (1 hour) imported before'),
    );
    expect(await october('support-bot')).toMatchObject({ input_tokens: 1_000, output_tokens: 100 });

    // Buckets that only touch are no overlap: the next hour, then the next day, are taken.
    expect(await world.importText('next.json', exportOf(['01T01:00:00', '01T02:00:00']))).toMatchObject({
      status: 'done',
      imported: 1,
    });
    expect(await world.importText('day-2.json', exportOf(['02T00:00:00', '03T00:00:00']))).toMatchObject({
      status: 'done',
      imported: 1,
    });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 3_000, output_tokens: 300 });
  });

  it('imports and re-imports an hourly export of hundreds of buckets of one usage', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    // 1–25 October by the hour: 600 buckets of the same agent, model and month (PostgreSQL refused
    // a rollup statement that met one month twice: every export of 500 buckets or more failed).
    const hourly = (output: number) =>
      JSON.stringify({
        data: Array.from({ length: 600 }, (_, hour) => ({
          starting_at: new Date(Date.UTC(2026, 9, 1, hour)).toISOString(),
          ending_at: new Date(Date.UTC(2026, 9, 1, hour + 1)).toISOString(),
          results: [
            {
              uncached_input_tokens: 1_000,
              cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
              cache_read_input_tokens: 0,
              output_tokens: output,
              api_key_id: 'apikey_01Support',
              model: SONNET,
              service_tier: 'standard',
            },
          ],
        })),
        has_more: false,
        next_page: null,
      });
    expect(await world.importText('hours.json', hourly(100))).toMatchObject({
      status: 'done',
      imported: 600,
    });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 600_000, output_tokens: 60_000 });
    // Re-exported with more output: each hour's counts replace its old ones.
    expect(await world.importText('hours.json', hourly(150))).toMatchObject({
      status: 'done',
      imported: 600,
    });
    // 600,000 × $3 + 90,000 × $15 per million = $1.80 + $1.35.
    expect(await october('support-bot')).toMatchObject({
      input_tokens: 600_000,
      output_tokens: 90_000,
      cost: '3.150000',
    });
  });

  it('forgets the buckets of a purged org, so a re-export counts them afresh instead of taking them back', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    await world.importText('anthropic.json', ANTHROPIC);
    await world.call('agents.unassign', { agentIds: Object.values(agents), at: '2026-10-19T00:00:00Z' });
    await world.call('orgs.delete', { id: orgId, confirmName: 'Acme' });
    world.clock.set('2026-11-25T00:00:00Z');
    expect(await asEveryOrg(world.backend, () => world.backend.services.orgs.purgeExpired())).toBe(1);

    expect(await world.importText('anthropic.json', ANTHROPIC)).toMatchObject({ imported: 2, skipped: 0 });
    // Nothing was taken back from the purged org's sums: no usage row names it again.
    const rowsOfAcme = world.backend.store.db
      .prepare(
        "SELECT count(*) FROM usage_days WHERE org = (SELECT id FROM usage_refs WHERE kind = 'org' AND name = ?)",
      )
      .pluck()
      .get(orgId);
    expect(rowsOfAcme).toBe(0);
    // support-bot was in no org once Acme was gone: its October usage is unattributed, whole.
    expect((await margins(world, '2026-10')).unattributed).toMatchObject({
      input_tokens: 265_000,
      output_tokens: 11_000,
    });
  });

  it('matches an OpenAI row by its project when its key has no alias', async () => {
    await alias('support-bot', 'openai', 'project', 'proj_support');
    const job = await world.importText('openai.json', fixture('openai-completions.json'));
    expect(job).toMatchObject({ format: 'openai', imported: 2 });
    expect(job.unmatched).toMatchObject([{ source: 'openai', kind: 'api_key', value: 'key_sales', rows: 1 }]);
    // Uncached input: (120,000 − 100,000) + 50,000; output 8,000 + 20,000.
    expect(await october('support-bot')).toMatchObject({ input_tokens: 70_000, output_tokens: 28_000 });
  });

  it('imports LiteLLM requests once, and an unmatched one after it is mapped', async () => {
    await alias('support-bot', 'litellm', 'team', 'team-acme');
    const logs = fixture('litellm-spend-logs.json');
    const first = await world.importText('spend.json', logs);
    expect(first).toMatchObject({ format: 'litellm', imported: 2, skipped: 0 });
    expect(first.unmatched).toMatchObject([
      { kind: 'api_key', rows: 1, output_tokens: 1_200, reasoning_tokens: 1_000 },
    ]);
    // 500 + 500 uncached; 300 + 800 output.
    expect(await october('support-bot')).toMatchObject({ input_tokens: 1_000, output_tokens: 1_100 });

    await alias('triage-bot', 'litellm', 'user', 'client-42');
    const second = await world.importText('spend.json', logs);
    expect(second).toMatchObject({ imported: 1, skipped: 2, unmatched: [] });
    expect(await october('triage-bot')).toMatchObject({ input_tokens: 400, output_tokens: 1_200 });
    expect(await october('support-bot')).toMatchObject({ input_tokens: 1_000, output_tokens: 1_100 });
  });

  it('gives each LiteLLM request to its own agent in an export longer than one write', async () => {
    await alias('support-bot', 'litellm', 'team', 'team-acme');
    await alias('triage-bot', 'litellm', 'user', 'client-42');
    const [acme, , client] = JSON.parse(fixture('litellm-spend-logs.json')) as Record<string, unknown>[];
    // Past the 10,000 requests written at a time: the last one names an agent and a model the
    // first write never saw.
    const requests = Array.from({ length: 10_000 }, (_, i) => ({ ...acme, request_id: `acme-${i}` }));
    requests.push({ ...client, request_id: 'client-last' });
    const imported = await world.importText('spend.json', JSON.stringify(requests));
    expect(imported).toMatchObject({ format: 'litellm', imported: 10_001, bad: 0 });
    // 10,000 × (2,000 prompt − 1,500 cached) uncached input and 300 output; the client's 400 and 1,200.
    expect(await october('support-bot')).toMatchObject({ input_tokens: 5_000_000, output_tokens: 3_000_000 });
    expect(await october('triage-bot')).toMatchObject({ input_tokens: 400, output_tokens: 1_200 });
  });

  it('detects the format of an upload, and refuses a file of no known shape with VALIDATION', async () => {
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    expect(await uploadAndImport(world, 'usage_report.json', ANTHROPIC, 4096)).toMatchObject({
      status: 'done',
      format: 'anthropic',
      imported: 2,
    });
    const bogus = await world.backend.router.call(
      'usage.import',
      { uploadId: '11111111-1111-4111-8111-111111111111', format: 'xml' },
      ownerSession(),
    );
    expect(bogus).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unknown = world.writeFile('bank.csv', 'date,amount\n2026-10-01,3\n');
    await expect(world.backend.services.usage.importFile(LOCAL_OWNER, unknown)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('not a usage file Orgdeck knows'),
    });
    expect(world.backend.services.usage.jobs()).toHaveLength(1);
  });

  it('refuses a provider export too large to read whole, before any job starts', async () => {
    const huge = world.writeFile('huge.json', '[]');
    truncateSync(huge, 257 * 1024 * 1024); // sparse: takes no disk
    await expect(world.backend.services.usage.importFile(LOCAL_OWNER, huge, 'litellm')).rejects.toMatchObject(
      {
        code: 'VALIDATION',
        message: expect.stringContaining('up to 256 MiB'),
      },
    );
    expect(world.backend.services.usage.jobs()).toEqual([]);
  });

  it('reads a file as the format named, reporting records of another shape as bad', async () => {
    const file = world.writeFile('as-litellm.json', ANTHROPIC);
    const job = await (await world.backend.services.usage.importFile(LOCAL_OWNER, file, 'litellm')).finished;
    // The report's two time buckets, read as spend-log rows, have no request_id.
    expect(job).toMatchObject({ format: 'litellm', imported: 0, bad: 2 });
    expect(job.badRows[0]?.reason).toMatch(/request_id|startTime|model/);
  });
});

describe('orgdeck usage import with a provider export', () => {
  let world: BillingWorld;

  beforeEach(async () => {
    world = openBillingWorld('2026-10-20T00:00:00Z');
    await setUp(world);
    world.backend.close();
  });
  afterEach(() => world.cleanup());

  it('says what it found and lists the unmatched identities with their tokens', async () => {
    const file = world.writeFile('anthropic-export.json', ANTHROPIC);
    const result = await runCliIn(world.dataDir, ['usage', 'import', file]);
    expect(result, result.err).toMatchObject({ code: 0 });
    expect(result.err).toContain('Reading an Anthropic messages usage report.');
    expect(result.out).toContain('0 imported');
    expect(result.out).toContain(
      'anthropic api_key apikey_01Support: 2 rows, 769000 input tokens (480000 cache reads), 11000 output tokens',
    );
    expect(result.out).toContain('orgdeck agent alias add HANDLE');

    const bogus = await runCliIn(world.dataDir, ['usage', 'import', file, '--format', 'bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.err).toMatch(/--format is one of auto, orgdeck, openai, anthropic, litellm/);
  });
});

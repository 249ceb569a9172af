// Issue #16's rules on worked examples: every token category, a tier, a long-context band chosen
// by prompt per request and by the long_context column, the fallbacks, cache savings, and the
// import's de-duplication of files with and without the new columns.

import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../../electron/backend/import-job-owner';
import { createJobsRepo } from '../../electron/backend/store/repos/jobs-repo';
import { importUsageRecords } from '../../electron/backend/usage/import-usage';
import { sqliteOfBackend } from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  jsonlOf,
  margins,
  openBillingWorld,
  orgIn,
  type UsageRecord,
} from '../fixtures/billing';
import { ownerSession } from '../fixtures/tenants';

const CLOCK = '2026-04-10T00:00:00Z';
const MODEL = 'm-long';

/**
 * $2 input, $8 output per million; cache reads $0.20, 1-hour cache writes $4, batch input $1, and
 * above 200,000 prompt tokens input $4 and output $12. No cache_write (→ input), no reasoning (→ output).
 */
const RATES = [
  { category: 'cache_read', price: '0.20' },
  { category: 'cache_write_1h', price: '4.00' },
  { category: 'input', tier: 'batch', price: '1.00' },
  { category: 'input', above: 200_000, price: '4.00' },
  { category: 'output', above: 200_000, price: '12.00' },
];

const at = (day: number) => `2026-03-0${day}T10:00:00Z`;
const ROW_A: UsageRecord = {
  timestamp: at(2),
  agent: 'ann',
  model: MODEL,
  input_tokens: 1000,
  output_tokens: 500,
  cache_read_tokens: 10_000,
  cache_write_tokens: 2000,
  cache_write_1h_tokens: 1000,
  reasoning_tokens: 100,
};
const ROW_B: UsageRecord = {
  timestamp: at(3),
  agent: 'bob',
  model: MODEL,
  input_tokens: 150_000,
  output_tokens: 1000,
  cache_read_tokens: 300_000,
  service_tier: 'batch',
  requests: 2,
};
const ROW_C: UsageRecord = {
  timestamp: at(4),
  agent: 'ann',
  model: MODEL,
  input_tokens: 300_000,
  output_tokens: 10,
  long_context: false,
};
const ROW_D: UsageRecord = {
  timestamp: at(5),
  agent: 'ann',
  model: MODEL,
  input_tokens: 10,
  output_tokens: 10,
  long_context: true,
};

describe('token categories, tiers and long-context bands', () => {
  let world: BillingWorld;
  let orgId: string;

  beforeEach(async () => {
    world = openBillingWorld(CLOCK);
    orgId = (await createOrg(world, 'Cacheco', '30.00')).id;
    for (const handle of ['ann', 'bob']) {
      const agent = await createAgent(world, handle);
      await assign(world, agent.id, orgId, '2026-02-01T00:00:00Z');
    }
    await world.call('prices.set', {
      model: MODEL,
      input: '2',
      output: '8',
      rates: RATES,
      from: '2026-01-01',
    });
  });

  afterEach(() => world.cleanup());

  it('prices every category at its rate or its fallback, in the tier and band that apply', async () => {
    // A and C as CSV, B and D as JSON Lines.
    expect(await world.importText('a.csv', csvOf([ROW_A, ROW_C]))).toMatchObject({ imported: 2, bad: 0 });
    expect(await world.importText('b.jsonl', jsonlOf([ROW_B, ROW_D]))).toMatchObject({ imported: 2, bad: 0 });
    const report = await margins(world, '2026-03');
    const org = orgIn(report, orgId);
    const agent = (handle: string) => org.agents.find((row) => row.handle === handle);
    // A (prompt 14,000: no band): input 1000 × $2 = 2000 µ$; cache read 10,000 × $0.20 = 2000;
    //   cache write 2000 × $2 (input) + 1-hour 1000 × $4 = 8000; output 400 × $8 = 3200;
    //   reasoning 100 × $8 (output) = 800. Total 16,000 µ$; saved 10,000 × ($2 − $0.20) = 18,000.
    // C (long_context false overrides its 300,000-token prompt): 300,000 × $2 + 10 × $8 = 600,080.
    // D (long_context true: the band): 10 × $4 + 10 × $12 = 160.
    expect(agent('ann')).toMatchObject({
      cost: '0.616240',
      cost_by_category: {
        input: '0.602040',
        cache_read: '0.002000',
        cache_write: '0.008000',
        output: '0.003400',
        reasoning: '0.000800',
      },
      cache_savings: '0.018000',
      cache_read_tokens: 10_000,
      cache_write_tokens: 3000,
      reasoning_tokens: 100,
    });
    // B (batch, 2 requests of 225,000 prompt tokens: the band; no batch band price → the standard
    // band price): input 150,000 × $4 = 600,000; cache read 300,000 × $0.20 (no band or batch
    // price: the standard one) = 60,000; output 1000 × $12 = 12,000. Total 672,000 µ$; saved
    // 300,000 × $4 − 60,000 = 1,140,000.
    expect(agent('bob')).toMatchObject({
      cost: '0.672000',
      cost_by_category: {
        input: '0.600000',
        cache_read: '0.060000',
        cache_write: '0.000000',
        output: '0.012000',
        reasoning: '0.000000',
      },
      cache_savings: '1.140000',
    });
    expect(org).toMatchObject({
      cost: '1.288240',
      input_tokens: 451_010,
      output_tokens: 1520,
      cache_read_tokens: 310_000,
      cache_write_tokens: 3000,
      reasoning_tokens: 100,
      cache_savings: '1.158000',
    });
    expect(report.cache_savings).toBe('1.158000');
    expect(report.fallbacks).toEqual([
      {
        model: MODEL,
        rules: [
          'cache_read above 200000 prompt tokens at the price without a band',
          'cache_read in the batch tier at the standard price',
          'cache_write at the input price',
          'input in the batch tier at the standard price',
          'output in the batch tier at the standard price',
          'reasoning at the output price',
        ],
      },
    ]);
    const drawer = await world.call('billing.agent', { month: '2026-03', agentId: agent('bob')?.id });
    expect(drawer.stays[0]).toMatchObject({ cost: '0.672000', cache_savings: '1.140000' });
    const trend = await world.call('billing.trend', { month: '2026-03', months: 1 });
    expect(trend).toMatchObject([{ month: '2026-03', cost: '1.288240', cache_savings: '1.158000' }]);
  });

  it('imports a file again without counting anything twice, and keeps the keys of two-column rows', async () => {
    const plain: UsageRecord = {
      timestamp: at(6),
      agent: 'ann',
      model: MODEL,
      input_tokens: 7,
      output_tokens: 3,
    };
    await world.importText('plain.csv', csvOf([plain]));
    // The same record in a file with every column (its new cells empty, or zero) is the same record.
    const again = await world.importText('rich.csv', csvOf([{ ...plain }, ROW_A]));
    expect(again).toMatchObject({ imported: 1, skipped: 1 });
    const zeros = await world.importText(
      'zeros.jsonl',
      jsonlOf([{ ...plain, cache_read_tokens: 0, requests: 1 }]),
    );
    expect(zeros).toMatchObject({ imported: 0, skipped: 1 });
    // Only the new columns differ: another record.
    const other = await world.importText('other.jsonl', jsonlOf([{ ...plain, cache_read_tokens: 1 }]));
    expect(other).toMatchObject({ imported: 1, skipped: 0 });
    const before = await margins(world, '2026-03');
    expect(
      await world.importText('all.csv', csvOf([plain, ROW_A, { ...plain, cache_read_tokens: 1 }])),
    ).toMatchObject({ imported: 0, skipped: 3 });
    expect(await margins(world, '2026-03')).toEqual(before);
  });

  it('reports bad values of the new columns with their line', async () => {
    const job = await world.importText(
      'bad.jsonl',
      `${jsonlOf([
        { ...ROW_A, reasoning_tokens: 600 },
        { ...ROW_A, service_tier: 'economy' },
        { ...ROW_A, requests: 0 },
        { ...ROW_A, cache_read_tokens: -1 },
      ])}${JSON.stringify({ ...ROW_A, long_context: 'maybe' })}\n`,
    );
    expect(job.imported).toBe(0);
    expect(job.badRows).toEqual([
      { line: 1, reason: 'reasoning_tokens is part of output_tokens and cannot exceed it' },
      { line: 2, reason: 'service_tier must be one of standard, batch, flex, priority' },
      { line: 3, reason: 'requests must be at least 1' },
      { line: 4, reason: 'cache_read_tokens must be a whole number from 0 to 1000000000000' },
      { line: 5, reason: 'long_context must be true or false' },
    ]);
  });

  it('takes rows already parsed into our format, as a provider export’s parser gives them', async () => {
    const jobs = createJobsRepo(sqliteOfBackend(world.backend));
    const jobId = '00000000-0000-4000-8000-00000000f001';
    jobs.insert({
      id: jobId,
      kind: 'usage',
      format: 'orgdeck',
      file_name: 'export',
      bytes_total: 4,
      actor_label: 'test',
      ...THIS_PROCESS,
      started_at: CLOCK,
    });
    const rows = [ROW_A, ROW_B, ROW_C, ROW_D].map((row) => ({ ...row, id: `export-${row.timestamp}` }));
    const first = await importUsageRecords(sqliteOfBackend(world.backend), rows, jobId, {
      count: rows.length,
    });
    expect(first).toMatchObject({ rowsRead: 4, imported: 4, skipped: 0, bad: 0 });
    expect(orgIn(await margins(world, '2026-03'), orgId).cost).toBe('1.288240');
    const second = await importUsageRecords(sqliteOfBackend(world.backend), rows, jobId);
    expect(second).toMatchObject({ imported: 0, skipped: 4 });
  });

  it('keeps a row in the band it was imported in when a later price moves the threshold', async () => {
    await world.importText('b.jsonl', jsonlOf([ROW_B]));
    // From 3 March the band starts above 250,000: B's 225,000 per request no longer exceeds it,
    // but the rollups hold no per-request sizes, so B stays in the band above 200,000 and, with no
    // such band now, is priced below it: 150,000 × $1 (batch) + 300,000 × $0.20 + 1000 × $8.
    await world.call('prices.set', {
      model: MODEL,
      rates: [
        ...RATES.filter((rate) => rate.above === undefined),
        { category: 'input', above: 250_000, price: '4.00' },
      ],
      from: '2026-03-03',
    });
    expect(orgIn(await margins(world, '2026-03'), orgId).cost).toBe('0.218000');
  });
});

describe('prices with categories, tiers and bands', () => {
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld(CLOCK);
  });
  afterEach(() => world.cleanup());

  it('lists every rate, and keeps what an edit leaves out', async () => {
    await world.call('prices.set', {
      model: MODEL,
      input: '2',
      output: '8',
      rates: RATES,
      from: '2026-01-01',
    });
    await world.call('prices.set', { model: MODEL, output: '9', from: '2026-02-01' });
    const [january, february] = await world.call('prices.list', {});
    expect(february).toMatchObject({ input: '2.00', output: '9.00', rates: january?.rates });
    expect(january?.rates).toEqual(
      expect.arrayContaining([
        { category: 'cache_read', tier: 'standard', above: 0, price: '0.20' },
        { category: 'input', tier: 'batch', above: 0, price: '1.00' },
        { category: 'output', tier: 'standard', above: 200_000, price: '12.00' },
      ]),
    );
  });

  it.each([
    { rates: [{ category: 'audio', price: '1' }] },
    { rates: [{ category: 'input', price: '1' }] },
    { rates: [{ category: 'cache_read', tier: 'turbo', price: '1' }] },
    {
      rates: [
        { category: 'cache_read', price: '1' },
        { category: 'cache_read', tier: 'standard', above: 0, price: '2' },
      ],
    },
    // A new model needs both its input and output prices.
    { input: '1', output: undefined, rates: [] },
  ])('refuses %j for a model without a price', async (price) => {
    const answer = await world.backend.router.call(
      'prices.set',
      { model: 'gpt-new', output: '1', ...price },
      ownerSession(),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await world.call('prices.list', {})).toEqual([]);
  });
});

describe('LiteLLM cost maps with every category', () => {
  const LITELLM = readFileSync(new URL('../fixtures/litellm-model-prices.json', import.meta.url), 'utf8');
  let world: BillingWorld;
  beforeEach(() => {
    world = openBillingWorld(CLOCK);
  });
  afterEach(() => world.cleanup());

  it('maps cache, reasoning, tier and band prices, and names what it leaves out', async () => {
    const map = JSON.parse(LITELLM) as Record<string, Record<string, unknown>>;
    // A model with a band, tiers and cache prices, whatever the fixture's latest such model is.
    const [name, spec] = Object.entries(map).find(
      ([, fields]) =>
        'input_cost_per_token_above_272k_tokens' in fields &&
        'input_cost_per_token_priority' in fields &&
        'cache_read_input_token_cost' in fields,
    ) as [string, Record<string, number>];
    const preview = await world.call('prices.previewLitellm', { content: LITELLM, from: '2026-01-01' });
    await world.call('prices.importLitellm', { content: LITELLM, from: '2026-01-01' });
    const price = (await world.call('prices.list', {})).find((row) => row.model === name);
    const perMillion = (usdPerToken: number) => (usdPerToken * 1e6).toFixed(6).replace(/0{1,4}$/, '');
    expect(price?.rates).toEqual(
      expect.arrayContaining([
        {
          category: 'cache_read',
          tier: 'standard',
          above: 0,
          price: perMillion(spec.cache_read_input_token_cost as number),
        },
        {
          category: 'input',
          tier: 'priority',
          above: 0,
          price: perMillion(spec.input_cost_per_token_priority as number),
        },
        {
          category: 'input',
          tier: 'standard',
          above: 272_000,
          price: perMillion(spec.input_cost_per_token_above_272k_tokens as number),
        },
      ]),
    );
    // Every *cost* field is either a rate or named as left out.
    const costFields = Object.keys(spec).filter(
      (field) =>
        field.includes('cost') && field !== 'input_cost_per_token' && field !== 'output_cost_per_token',
    );
    const change = preview.changes.find((row) => row.model === name);
    expect((change?.rates ?? 0) + (change?.left_out.length ?? 0)).toBe(costFields.length);
    // An audio price is left out, by name.
    const audio = preview.changes.find((row) => row.left_out.includes('input_cost_per_audio_token'));
    expect(audio).toBeDefined();
  });
});

// Issue 16, "Done when": for each provider format, a real-shaped export whose right cost is worked
// out by hand below, imported and then imported again as a re-export with one day grown, costs
// exactly that: the grown day replaces (buckets) or adds only its new requests (LiteLLM's), and no
// token is counted twice, whatever convention the provider writes its counts in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentIn,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
  orgIn,
} from '../fixtures/billing';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/usage-exports', name), 'utf8'));

type Rate = [category: string, tier: string, price: string];

describe('a provider export imported again with a grown day costs exactly the hand-worked figure', () => {
  let world: BillingWorld;
  let orgId: string;
  const agents: Record<string, string> = {};

  beforeEach(async () => {
    world = openBillingWorld('2026-10-20T00:00:00Z');
    orgId = (await createOrg(world, 'Acme', '30.00')).id;
    for (const handle of ['support-bot', 'triage-bot']) {
      const agent = await createAgent(world, handle);
      await assign(world, agent.id, orgId, '2026-09-01T00:00:00Z');
      agents[handle] = agent.id;
    }
  });
  afterEach(() => world.cleanup());

  const price = (model: string, input: string, output: string, rates: Rate[] = []) =>
    world.call('prices.set', {
      model,
      input,
      output,
      from: '2026-01-01',
      rates: rates.map(([category, tier, rate]) => ({ category, tier, above: 0, price: rate })),
    });
  const alias = (handle: string, source: string, kind: string, value: string) =>
    world.call('aliases.add', { agentId: agents[handle], source, kind, value });
  const acme = async () => orgIn(await margins(world, '2026-10'), orgId);
  const agent = async (handle: string) => agentIn(await acme(), handle);

  it('OpenAI: cached and cache-write tokens are inside input_tokens, and the grown day replaces', async () => {
    await price('gpt-5-2025-08-07', '2.00', '8.00', [
      ['cache_read', 'standard', '0.20'],
      ['cache_write', 'standard', '2.50'],
      ['cache_write_1h', 'standard', '4.00'],
    ]);
    await alias('support-bot', 'openai', 'api_key', 'key_support');
    const page = fixture('openai-completions-cache-writes.json');
    expect(await world.importText('openai.json', JSON.stringify(page))).toMatchObject({
      format: 'openai',
      imported: 2,
      bad: 0,
    });
    // 1 Oct: input_tokens 200,000 = 30,000 uncached × $2 = 0.060 + 150,000 cached × $0.20 = 0.030
    //   + 15,000 30-minute writes × $2.50 = 0.0375 + 5,000 12-hour writes × $4 = 0.020; output
    //   6,000 × $8 = 0.048: $0.1955.
    // 2 Oct: 40,000 = 10,000 × $2 = 0.020 + 25,000 × $0.20 = 0.005 + 5,000 × $2.50 = 0.0125;
    //   output 2,000 × $8 = 0.016: $0.0535. Together $0.249.
    // (Pricing input_tokens whole besides the parts would add 240,000 × $2 = $0.48.)
    expect((await acme()).cost).toBe('0.249000');

    // Downloaded again a day later: 2 Oct grew to input_tokens 100,000 = 40,000 uncached + 50,000
    // cached + 10,000 30-minute writes, output 5,000.
    const day = page.data[1].results[0];
    Object.assign(day, {
      input_tokens: 100_000,
      input_uncached_tokens: 40_000,
      input_text_tokens: 40_000,
      input_cached_tokens: 50_000,
      input_cached_text_tokens: 50_000,
      input_cache_write_tokens: 10_000,
      output_tokens: 5_000,
      output_text_tokens: 5_000,
      num_model_requests: 30,
    });
    expect(await world.importText('openai-later.json', JSON.stringify(page))).toMatchObject({
      imported: 1,
      skipped: 1,
    });
    // 2 Oct now: 40,000 × $2 = 0.080 + 50,000 × $0.20 = 0.010 + 10,000 × $2.50 = 0.025 + 5,000 × $8
    // = 0.040: $0.155, replacing $0.0535. 1 Oct unchanged: $0.1955 + $0.155 = $0.3505.
    expect(await acme()).toMatchObject({
      cost: '0.350500',
      cost_by_category: {
        input: '0.140000',
        cache_read: '0.040000',
        cache_write: '0.082500',
        output: '0.088000',
        reasoning: '0.000000',
      },
    });
  });

  it('Anthropic: each count is its own category, tiers priced as such, and the grown day replaces', async () => {
    await price('claude-sonnet-4-5-20250929', '3.00', '15.00', [
      ['cache_read', 'standard', '0.30'],
      ['cache_write', 'standard', '3.75'],
      ['cache_write_1h', 'standard', '6.00'],
      ['input', 'batch', '1.50'],
      ['output', 'batch', '7.50'],
    ]);
    await price('claude-haiku-4-5-20251001', '1.00', '5.00', [
      ['cache_read', 'standard', '0.10'],
      ['cache_write', 'standard', '1.25'],
    ]);
    await alias('support-bot', 'anthropic', 'api_key', 'apikey_01Support');
    await alias('triage-bot', 'anthropic', 'api_key', 'apikey_01Triage');
    const page = fixture('anthropic-messages-usage.json');
    expect(await world.importText('anthropic.json', JSON.stringify(page))).toMatchObject({ imported: 3 });
    // 1 Oct, support, sonnet, standard: 15,000 uncached × $3 = 0.045 + 480,000 reads × $0.30 = 0.144
    //   + 20,000 5-minute writes × $3.75 = 0.075 + 4,000 1-hour writes × $6 = 0.024 + 9,000 output ×
    //   $15 = 0.135: $0.423.
    // 1 Oct, support, sonnet, batch: 250,000 × $1.50 = 0.375 + 2,000 × $7.50 = 0.015: $0.39.
    // 2 Oct, triage, haiku, priority (no priority price: the standard ones): 1,000 × $1 = 0.001 +
    //   5,000 reads × $0.10 = 0.0005 + 700 writes × $1.25 = 0.000875 + 400 × $5 = 0.002: $0.004375.
    expect(await agent('support-bot')).toMatchObject({ cost: '0.813000' });
    expect(await agent('triage-bot')).toMatchObject({ cost: '0.004375' });
    expect((await acme()).cost).toBe('0.817375');

    // A day later 2 Oct grew: 4,000 uncached, 20,000 reads, 1,500 5-minute writes, 1,000 output.
    Object.assign(page.data[1].results[0], {
      uncached_input_tokens: 4_000,
      cache_read_input_tokens: 20_000,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 1_500 },
      output_tokens: 1_000,
    });
    expect(await world.importText('anthropic-later.json', JSON.stringify(page))).toMatchObject({
      imported: 1,
      skipped: 2,
    });
    // 2 Oct now: 4,000 × $1 = 0.004 + 20,000 × $0.10 = 0.002 + 1,500 × $1.25 = 0.001875 + 1,000 ×
    // $5 = 0.005: $0.012875, replacing $0.004375. Acme: $0.813 + $0.012875 = $0.825875.
    expect(await agent('triage-bot')).toMatchObject({ cost: '0.012875' });
    expect(await agent('support-bot')).toMatchObject({ cost: '0.813000' });
    expect((await acme()).cost).toBe('0.825875');
  });

  it('LiteLLM: prompt_tokens include cache reads and writes, and a grown day adds only its new requests', async () => {
    await price('gpt-4o', '2.50', '10.00', [['cache_read', 'standard', '1.25']]);
    await price('claude-sonnet-4-5-20250929', '3.00', '15.00', [
      ['cache_read', 'standard', '0.30'],
      ['cache_write', 'standard', '3.75'],
      ['cache_write_1h', 'standard', '6.00'],
    ]);
    await price('o3-mini', '1.10', '4.40', [['cache_read', 'standard', '0.55']]);
    await alias('support-bot', 'litellm', 'team', 'team-acme');
    await alias('triage-bot', 'litellm', 'user', 'client-42');
    const logs = fixture('litellm-spend-logs.json');
    expect(await world.importText('spend.json', JSON.stringify(logs))).toMatchObject({ imported: 3 });
    // 1 Oct, gpt-4o: prompt 2,000 of which 1,500 cached: 500 × $2.50 = 0.00125 + 1,500 × $1.25 =
    //   0.001875; 300 output × $10 = 0.003: $0.006125.
    // 1 Oct, sonnet: prompt 12,000 = 9,000 reads + 2,500 writes (500 5-minute, 2,000 1-hour) + 500
    //   uncached: 500 × $3 = 0.0015 + 9,000 × $0.30 = 0.0027 + 500 × $3.75 = 0.001875 + 2,000 × $6 =
    //   0.012; 800 × $15 = 0.012: $0.030075. Support: $0.0362.
    // 2 Oct, o3-mini: 400 × $1.10 = 0.00044; 1,200 output (1,000 reasoning, no reasoning price:
    //   output's) × $4.40 = 0.00528: $0.00572.
    expect(await agent('support-bot')).toMatchObject({ cost: '0.036200' });
    expect(await agent('triage-bot')).toMatchObject({ cost: '0.005720' });
    expect((await acme()).cost).toBe('0.041920');

    // The log downloaded again a day later: 2 Oct has one more request.
    logs.push({
      ...logs[2],
      request_id: 'chatcmpl-4f0c2a1e-0004',
      startTime: '2026-10-02T18:00:00.000000',
      endTime: '2026-10-02T18:00:09.000000',
      prompt_tokens: 1_000,
      completion_tokens: 2_000,
      total_tokens: 3_000,
      metadata: {
        usage_object: {
          prompt_tokens: 1_000,
          completion_tokens: 2_000,
          total_tokens: 3_000,
          prompt_tokens_details: { cached_tokens: 600 },
          completion_tokens_details: { reasoning_tokens: 1_500 },
        },
      },
    });
    expect(await world.importText('spend-later.json', JSON.stringify(logs))).toMatchObject({
      imported: 1,
      skipped: 3,
    });
    // The new request: 400 uncached × $1.10 = 0.00044 + 600 cached × $0.55 = 0.00033; 2,000 output
    // × $4.40 = 0.0088: $0.00957. Triage $0.00572 + $0.00957 = $0.01529; Acme $0.05149.
    expect(await agent('triage-bot')).toMatchObject({ cost: '0.015290' });
    expect(await agent('support-bot')).toMatchObject({ cost: '0.036200' });
    expect((await acme()).cost).toBe('0.051490');
  });
});

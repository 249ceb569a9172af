import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anthropicRows } from '../../../../electron/backend/usage/formats/anthropic';
import { liteLlmRows } from '../../../../electron/backend/usage/formats/litellm';
import { openAiRows } from '../../../../electron/backend/usage/formats/openai';
import type { ProviderUsageRow } from '../../../../electron/backend/usage/formats/provider-row';
import { readProviderExport } from '../../../../electron/backend/usage/formats/read-export';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../../fixtures/usage-exports', name), 'utf8');

/** The token columns of a row, in our format's names. */
const tokens = (row: ProviderUsageRow) => ({
  input_tokens: row.input_tokens,
  cache_read_tokens: row.cache_read_tokens,
  cache_write_tokens: row.cache_write_tokens,
  cache_write_1h_tokens: row.cache_write_1h_tokens,
  output_tokens: row.output_tokens,
  reasoning_tokens: row.reasoning_tokens,
});

const only = (parsed: (ProviderUsageRow | string)[]): ProviderUsageRow => {
  expect(parsed).toHaveLength(1);
  const [row] = parsed;
  if (typeof row === 'string') throw new Error(row);
  return row as ProviderUsageRow;
};

const openAiPage = (result: Record<string, unknown>) => ({
  object: 'page',
  data: [{ object: 'bucket', start_time: 1790812800, end_time: 1790899200, results: [result] }],
});

describe('OpenAI completions usage', () => {
  it('reads the saved page into uncached input, cache reads, tier and bucket, by hand', () => {
    const { rows, bad } = readProviderExport(fixture('openai-completions.json'), 'openai');
    expect(bad).toEqual([]);
    // Bucket 2026-10-01, key_support, gpt-4o: input_tokens 120,000 include 100,000 cached, so
    // 20,000 uncached + 100,000 cache reads (never 120,000 + 100,000), 8,000 output, 40 requests.
    // Same key, batch: true: 50,000 input none cached, 20,000 output, batch tier.
    // Bucket 2026-10-02, key_sales, gpt-4o-mini: 30,000 − 12,000 = 18,000 uncached, 12,000 reads.
    expect(rows.map((row) => ({ ...tokens(row), tier: row.service_tier, requests: row.requests }))).toEqual([
      {
        input_tokens: 20_000,
        cache_read_tokens: 100_000,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: 8_000,
        reasoning_tokens: 0,
        tier: 'standard',
        requests: 40,
      },
      {
        input_tokens: 50_000,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: 20_000,
        reasoning_tokens: 0,
        tier: 'batch',
        requests: 10,
      },
      {
        input_tokens: 18_000,
        cache_read_tokens: 12_000,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: 3_000,
        reasoning_tokens: 0,
        tier: 'standard',
        requests: 15,
      },
    ]);
    expect(rows[0]).toMatchObject({
      timestamp: '2026-10-01T00:00:00Z',
      model: 'gpt-4o-2024-08-06',
      identities: [
        { source: 'openai', kind: 'api_key', value: 'key_support' },
        { source: 'openai', kind: 'project', value: 'proj_support' },
      ],
      bucket: { source: 'openai', start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' },
    });
    expect(rows[0]?.long_context).toBeUndefined();
    expect(rows[2]?.bucket?.start).toBe('2026-10-02T00:00:00Z');
  });

  it('counts every input token once: uncached plus cached is the export’s input_tokens', () => {
    const row = only(
      openAiRows(
        openAiPage({
          input_tokens: 1000,
          input_cached_tokens: 800,
          output_tokens: 5,
          api_key_id: 'k',
          model: 'gpt-4o',
        }),
      ),
    );
    expect(row.input_tokens + row.cache_read_tokens).toBe(1000);
    expect(row.cache_read_tokens).toBe(800);
  });

  it('refuses cached tokens above the input that includes them, and rows that name no one', () => {
    expect(
      openAiRows(
        openAiPage({
          input_tokens: 10,
          input_cached_tokens: 11,
          output_tokens: 0,
          api_key_id: 'k',
          model: 'm',
        }),
      ),
    ).toEqual(['input_cached_tokens is more than input_tokens, which includes them']);
    const [reason] = openAiRows(
      openAiPage({ input_tokens: 10, output_tokens: 0, model: 'm', api_key_id: null }),
    );
    expect(reason).toMatch(/group_by=api_key_id/);
    expect(openAiRows(openAiPage({ input_tokens: 1, api_key_id: 'k', model: null }))[0]).toMatch(/model/);
  });

  it('reads the cache writes of the current shape, each once, out of the input that includes them', () => {
    const { rows, bad } = readProviderExport(fixture('openai-completions-cache-writes.json'), 'openai');
    expect(bad).toEqual([]);
    // 2026-10-01: input_tokens 200,000 = 30,000 uncached (input_uncached_tokens says so too)
    // + 150,000 cached + 15,000 30-minute writes + 5,000 12-hour writes. 2026-10-02: 40,000 =
    // 10,000 + 25,000 + 5,000 + 0. Counting input_tokens whole as well would bill 200,000 twice.
    expect(rows.map(tokens)).toEqual([
      {
        input_tokens: 30_000,
        cache_read_tokens: 150_000,
        cache_write_tokens: 15_000,
        cache_write_1h_tokens: 5_000,
        output_tokens: 6_000,
        reasoning_tokens: 0,
      },
      {
        input_tokens: 10_000,
        cache_read_tokens: 25_000,
        cache_write_tokens: 5_000,
        cache_write_1h_tokens: 0,
        output_tokens: 2_000,
        reasoning_tokens: 0,
      },
    ]);
    expect(rows.map((row) => row.service_tier)).toEqual(['standard', 'standard']);
  });

  it('refuses cache writes beyond the input, and an uncached count that disagrees with the rest', () => {
    const row = (fields: Record<string, unknown>) =>
      openAiRows(openAiPage({ output_tokens: 0, api_key_id: 'k', model: 'm', ...fields }));
    expect(row({ input_tokens: 10, input_cached_tokens: 5, input_cache_write_tokens: 6 })[0]).toMatch(
      /cache-write tokens are more than input_tokens/,
    );
    // 100 − 20 − 30 = 50 uncached, not 80 (which would have counted the writes twice).
    expect(
      row({
        input_tokens: 100,
        input_cached_tokens: 20,
        input_cache_write_tokens: 30,
        input_uncached_tokens: 80,
      })[0],
    ).toMatch(/input_uncached_tokens is not input_tokens less/);
    expect(
      only(
        row({
          input_tokens: 100,
          input_cached_tokens: 20,
          input_cache_write_tokens: 30,
          input_uncached_tokens: 50,
        }),
      ).input_tokens,
    ).toBe(50);
  });

  it('refuses a bucket outside the days usage can be stored on', () => {
    const page = openAiPage({ input_tokens: 1, api_key_id: 'k', model: 'm' });
    (page.data[0] as { start_time: number }).start_time = 65_536 * 86_400;
    expect(openAiRows(page)).toEqual(['start_time must fall between 1970 and 2149']);
  });

  it('reads a named service tier and refuses one it cannot price', () => {
    const page = (service_tier: string) =>
      openAiRows(
        openAiPage({ input_tokens: 1, output_tokens: 1, api_key_id: 'k', model: 'm', service_tier }),
      );
    expect(only(page('flex')).service_tier).toBe('flex');
    expect(only(page('default')).service_tier).toBe('standard');
    expect(page('scale')[0]).toMatch(/service_tier "scale"/);
  });
});

const anthropicPage = (result: Record<string, unknown>) => ({
  data: [{ starting_at: '2026-10-01T00:00:00Z', ending_at: '2026-10-02T00:00:00Z', results: [result] }],
  has_more: false,
  next_page: null,
});

describe('Anthropic messages usage report', () => {
  it('reads each count as its own category, with tier, band and bucket, by hand', () => {
    const { rows, bad } = readProviderExport(fixture('anthropic-messages-usage.json'), 'anthropic');
    expect(bad).toEqual([]);
    // 2026-10-01, apikey_01Support, sonnet, 0-200k: 15,000 uncached, 480,000 reads, 20,000 5-minute
    // and 4,000 1-hour writes, 9,000 output: no sum of them is another's part.
    // Same key, 200k-1M, batch: 250,000 uncached, 2,000 output, long context.
    // 2026-10-02, apikey_01Triage (no workspace: the default one), haiku, priority_on_demand:
    // 1,000 uncached, 5,000 reads, 700 5-minute writes, 400 output, priority tier.
    expect(rows.map((row) => ({ ...tokens(row), tier: row.service_tier, long: row.long_context }))).toEqual([
      {
        input_tokens: 15_000,
        cache_read_tokens: 480_000,
        cache_write_tokens: 20_000,
        cache_write_1h_tokens: 4_000,
        output_tokens: 9_000,
        reasoning_tokens: 0,
        tier: 'standard',
        long: false,
      },
      {
        input_tokens: 250_000,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: 2_000,
        reasoning_tokens: 0,
        tier: 'batch',
        long: true,
      },
      {
        input_tokens: 1_000,
        cache_read_tokens: 5_000,
        cache_write_tokens: 700,
        cache_write_1h_tokens: 0,
        output_tokens: 400,
        reasoning_tokens: 0,
        tier: 'priority',
        long: false,
      },
    ]);
    expect(rows[0]?.identities).toEqual([
      { source: 'anthropic', kind: 'api_key', value: 'apikey_01Support' },
      { source: 'anthropic', kind: 'workspace', value: 'wrkspc_01Clients' },
    ]);
    expect(rows[2]?.identities).toEqual([{ source: 'anthropic', kind: 'api_key', value: 'apikey_01Triage' }]);
    expect(rows[2]?.bucket).toEqual({
      source: 'anthropic',
      start: '2026-10-02T00:00:00Z',
      end: '2026-10-03T00:00:00Z',
    });
  });

  it('reads flat cache creation as 5-minute writes', () => {
    const row = only(
      anthropicRows(
        anthropicPage({
          uncached_input_tokens: 10,
          cache_creation_input_tokens: 300,
          output_tokens: 1,
          api_key_id: 'k',
          model: 'm',
        }),
      ),
    );
    expect(tokens(row)).toMatchObject({
      cache_write_tokens: 300,
      cache_write_1h_tokens: 0,
      input_tokens: 10,
    });
    const lifetimes = only(
      anthropicRows(
        anthropicPage({
          ephemeral_5m_input_tokens: 3,
          ephemeral_1h_input_tokens: 4,
          api_key_id: 'k',
          model: 'm',
        }),
      ),
    );
    expect(tokens(lifetimes)).toMatchObject({ cache_write_tokens: 3, cache_write_1h_tokens: 4 });
  });

  it('counts cache writes once when a tool writes both the nested and the flat form', () => {
    const row = only(
      anthropicRows(
        anthropicPage({
          uncached_input_tokens: 10,
          cache_creation_input_tokens: 300,
          cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
          api_key_id: 'k',
          model: 'm',
        }),
      ),
    );
    expect(row.cache_write_tokens + row.cache_write_1h_tokens).toBe(300);
  });

  it('refuses a band or tier it does not know, and counts that are not whole', () => {
    expect(anthropicRows(anthropicPage({ api_key_id: 'k', model: 'm', context_window: '1M-2M' }))[0]).toMatch(
      /context_window/,
    );
    expect(anthropicRows(anthropicPage({ api_key_id: 'k', model: 'm', service_tier: 'scale' }))[0]).toMatch(
      /service_tier/,
    );
    expect(anthropicRows(anthropicPage({ api_key_id: 'k', model: 'm', output_tokens: 1.5 }))[0]).toBe(
      'output_tokens must be a whole number from 0 to 1000000000000',
    );
  });
});

describe('LiteLLM spend logs', () => {
  it('refuses a numeric request id past 2^53, which JSON cannot carry exactly, rather than merge two requests', () => {
    const [log] = JSON.parse(fixture('litellm-spend-logs.json')) as Record<string, unknown>[];
    // Two requests whose ids differ in the last digit, as a JSON number each: both read as 1234567890123456800.
    const text = `[${[1234567890123456789n, 1234567890123456790n]
      .map((id) => JSON.stringify({ ...log, request_id: 0 }).replace('"request_id":0', `"request_id":${id}`))
      .join(',')}]`;
    const { rows, bad } = readProviderExport(text, 'litellm');
    expect(rows).toEqual([]);
    expect(bad.map((row) => row.reason)).toEqual([
      expect.stringContaining('too large to read exactly'),
      expect.stringContaining('too large to read exactly'),
    ]);
    // The same ids as text are read exactly, and stay two.
    const asText = readProviderExport(
      JSON.stringify([
        { ...log, request_id: '1234567890123456789' },
        { ...log, request_id: '1234567890123456790' },
      ]),
      'litellm',
    );
    expect(asText.bad).toEqual([]);
    expect(asText.rows).toHaveLength(2);
  });

  it('refuses a count past the usage format’s maximum, or not in digits, as a bad row of its own', () => {
    const [log] = JSON.parse(fixture('litellm-spend-logs.json')) as Record<string, unknown>[];
    const { rows, bad } = readProviderExport(
      JSON.stringify([
        { ...log, request_id: 'huge', prompt_tokens: 1_000_000_000_001 },
        { ...log, request_id: 'hex', completion_tokens: '0x10' },
        { ...log, request_id: 'fine' },
      ]),
      'litellm',
    );
    expect(bad.map((row) => row.reason)).toEqual([
      'prompt_tokens must be a whole number from 0 to 1000000000000',
      'completion_tokens must be a whole number from 0 to 1000000000000',
    ]);
    expect(rows).toHaveLength(1);
  });

  it('takes cache reads and writes out of prompt_tokens and keeps reasoning inside output, by hand', () => {
    const { rows, bad } = readProviderExport(fixture('litellm-spend-logs.json'), 'litellm');
    expect(bad).toEqual([]);
    // gpt-4o: prompt 2,000 include 1,500 cached → 500 uncached + 1,500 reads; 300 output.
    // sonnet: prompt 12,000 include 9,000 reads (named twice, as cached_tokens and
    // cache_read_input_tokens: counted once) and 2,500 writes (500 5-minute, 2,000 1-hour) → 500
    // uncached; 800 output.
    // o3-mini: 400 uncached; 1,200 output of which 1,000 reasoning.
    expect(rows.map(tokens)).toEqual([
      {
        input_tokens: 500,
        cache_read_tokens: 1_500,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: 300,
        reasoning_tokens: 0,
      },
      {
        input_tokens: 500,
        cache_read_tokens: 9_000,
        cache_write_tokens: 500,
        cache_write_1h_tokens: 2_000,
        output_tokens: 800,
        reasoning_tokens: 0,
      },
      {
        input_tokens: 400,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cache_write_1h_tokens: 0,
        output_tokens: 1_200,
        reasoning_tokens: 1_000,
      },
    ]);
    expect(rows[0]).toMatchObject({
      id: 'chatcmpl-4f0c2a1e-0001',
      timestamp: '2026-10-01T09:15:02.113Z',
      model: 'gpt-4o',
      service_tier: 'standard',
      requests: 1,
      identities: [
        {
          source: 'litellm',
          kind: 'api_key',
          value: '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b',
        },
        { source: 'litellm', kind: 'user', value: 'support-bot@agency.test' },
        { source: 'litellm', kind: 'team', value: 'team-acme' },
      ],
    });
    expect(rows[0]?.bucket).toBeUndefined();
    // A time without a zone is UTC, as LiteLLM stores it.
    expect(rows[2]?.timestamp).toBe('2026-10-02T17:03:11.500Z');
    expect(rows[2]?.identities.map((identity) => identity.kind)).toEqual(['api_key', 'user']);
  });

  it('refuses reads and writes beyond the prompt that includes them, rather than guessing', () => {
    const [reason] = liteLlmRows({
      request_id: 'r',
      startTime: '2026-10-01T00:00:00Z',
      model: 'claude',
      api_key: 'k',
      prompt_tokens: 100,
      completion_tokens: 1,
      metadata: { usage_object: { cache_read_input_tokens: 90, cache_creation_input_tokens: 20 } },
    });
    expect(reason).toBe('cache reads and writes exceed prompt_tokens, which includes them');
  });

  it('reads the UI’s {"data": […]} and JSON Lines, reporting bad lines by number', () => {
    const log = {
      request_id: 'r1',
      startTime: '2026-10-01T00:00:00Z',
      model: 'm',
      api_key: 'k',
      prompt_tokens: 3,
      completion_tokens: 2,
    };
    expect(only(liteLlmRows({ data: [log], total: 1 })).input_tokens).toBe(3);
    const lines = `${JSON.stringify(log)}\nnot json\n${JSON.stringify({ ...log, request_id: '' })}\n`;
    const { rows, bad } = readProviderExport(lines, 'litellm');
    expect(rows).toHaveLength(1);
    expect(bad).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'request_id is missing' },
    ]);
  });
});

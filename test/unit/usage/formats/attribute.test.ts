import { describe, expect, it } from 'vitest';
import type { AliasHandles } from '../../../../electron/backend/store/repos/agent-aliases-repo';
import { createAttributor } from '../../../../electron/backend/usage/formats/attribute';
import type { ProviderUsageRow } from '../../../../electron/backend/usage/formats/provider-row';
import type { UsageIdentity } from '../../../../shared/domain/usage-identity';

const row = (identities: UsageIdentity[], input: number, read = 0): ProviderUsageRow => ({
  timestamp: '2026-10-01T00:00:00Z',
  model: 'gpt-4o',
  input_tokens: input,
  output_tokens: 10,
  cache_read_tokens: read,
  cache_write_tokens: 1,
  cache_write_1h_tokens: 2,
  reasoning_tokens: 3,
  service_tier: 'standard',
  requests: 1,
  identities,
});

/** Each row's agent (rows of none left out) and the unmatched identities, rows read one by one. */
function attributeRows(rows: ProviderUsageRow[], handles: AliasHandles) {
  const attributor = createAttributor(handles);
  const attributed = rows.flatMap((r) => {
    const agent = attributor.agentOf(r);
    return agent === undefined ? [] : [{ agent, row: r }];
  });
  return { attributed, unmatched: attributor.unmatched() };
}

const key = (value: string): UsageIdentity => ({ source: 'openai', kind: 'api_key', value });
const project = (value: string): UsageIdentity => ({ source: 'openai', kind: 'project', value });

describe('attributing provider rows to agents', () => {
  const handles: AliasHandles = new Map([
    [
      'openai',
      new Map([
        ['api_key', new Map([['key_ann', 'ann']])],
        ['project', new Map([['proj_shared', 'bob']])],
      ]),
    ],
  ]);

  it('gives a row to its most specific mapped identity: a key’s alias beats its project’s', () => {
    const { attributed } = attributeRows(
      [row([key('key_ann'), project('proj_shared')], 5), row([key('key_other'), project('proj_shared')], 7)],
      handles,
    );
    expect(attributed.map(({ agent, row: r }) => [agent, r.input_tokens])).toEqual([
      ['ann', 5],
      ['bob', 7],
    ]);
  });

  it('groups rows of no mapped identity by their most specific one, summing each category', () => {
    const { attributed, unmatched } = attributeRows(
      [row([key('key_x'), project('proj_x')], 5, 100), row([key('key_x')], 7, 50), row([key('key_y')], 1)],
      handles,
    );
    expect(attributed).toEqual([]);
    expect(unmatched).toEqual([
      {
        ...key('key_x'),
        rows: 2,
        input_tokens: 12,
        cache_read_tokens: 150,
        cache_write_tokens: 2,
        cache_write_1h_tokens: 4,
        output_tokens: 20,
        reasoning_tokens: 6,
      },
      expect.objectContaining({ ...key('key_y'), rows: 1, input_tokens: 1 }),
    ]);
  });

  it('keeps sources apart: an OpenAI key’s alias does not match the same value from Anthropic', () => {
    const { unmatched } = attributeRows(
      [row([{ source: 'anthropic', kind: 'api_key', value: 'key_ann' }], 1)],
      handles,
    );
    expect(unmatched).toHaveLength(1);
  });
});

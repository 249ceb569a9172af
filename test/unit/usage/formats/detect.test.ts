import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectUsageFormat } from '../../../../electron/backend/usage/formats/detect';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../../fixtures/usage-exports', name), 'utf8');

describe('usage format detection', () => {
  it('knows each provider export by its content', () => {
    expect(detectUsageFormat(fixture('openai-completions.json'))).toBe('openai');
    expect(detectUsageFormat(fixture('anthropic-messages-usage.json'))).toBe('anthropic');
    expect(detectUsageFormat(fixture('litellm-spend-logs.json'))).toBe('litellm');
  });

  it('knows pages and spend logs saved as JSON Lines, and only a file’s first bytes are needed', () => {
    const page = JSON.parse(fixture('anthropic-messages-usage.json'));
    expect(detectUsageFormat(`${JSON.stringify(page)}\n${JSON.stringify(page)}\n`)).toBe('anthropic');
    const logs = JSON.parse(fixture('litellm-spend-logs.json')) as unknown[];
    expect(
      detectUsageFormat(
        logs
          .map((log) => JSON.stringify(log))
          .join('\n')
          .slice(0, 600),
      ),
    ).toBe('litellm');
    expect(detectUsageFormat(fixture('openai-completions.json').slice(0, 300))).toBe('openai');
    expect(detectUsageFormat('{"object":"page","data":[],"has_more":false,"next_page":null}')).toBe('openai');
  });

  it('knows our CSV and JSON Lines, with a byte-order mark or new columns', () => {
    expect(
      detectUsageFormat(
        '\uFEFFtimestamp,agent,model,input_tokens,output_tokens\n2026-10-01T00:00:00Z,a,m,1,2\n',
      ),
    ).toBe('orgdeck');
    expect(
      detectUsageFormat('id,"Timestamp",agent,model,input_tokens,output_tokens,cache_read_tokens\n'),
    ).toBe('orgdeck');
    expect(
      detectUsageFormat(
        '{"timestamp":"2026-10-01T00:00:00Z","agent":"a","model":"m","input_tokens":1,"output_tokens":2}\n',
      ),
    ).toBe('orgdeck');
  });

  it('takes a file naming some of our columns for ours, so its reader can name the missing ones', () => {
    expect(detectUsageFormat('timestamp,agent\n2026-03-01T00:00:00Z,ann\n')).toBe('orgdeck');
    expect(detectUsageFormat('{"agent":"ann","tokens":3}\n')).toBe('orgdeck');
  });

  it('knows nothing else', () => {
    expect(detectUsageFormat('date,amount\n2026-10-01,3\n')).toBeUndefined();
    expect(detectUsageFormat('{"object":"list","data":[]}')).toBeUndefined();
    expect(detectUsageFormat('')).toBeUndefined();
  });
});

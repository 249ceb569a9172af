import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonStream, type JsonVisitor } from '../../../../electron/backend/usage/formats/json-stream';
import {
  providerExportReader,
  readProviderExport,
} from '../../../../electron/backend/usage/formats/read-export';
import type { UsageSource } from '../../../../shared/domain/usage-identity';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../../fixtures/usage-exports', name), 'utf8');

/** What the reader makes of `text` fed in pieces of `size` characters. */
function readInPieces(text: string, format: UsageSource, size: number) {
  const records: unknown[] = [];
  const reader = providerExportReader(format, (parsed, line) => records.push({ parsed, line }));
  for (let at = 0; at < text.length; at += size) reader.write(text.slice(at, at + size));
  reader.end();
  return records;
}

describe('reading an export a piece at a time', () => {
  it.each([
    ['openai', 'openai-completions.json'],
    ['openai', 'openai-completions-cache-writes.json'],
    ['anthropic', 'anthropic-messages-usage.json'],
    ['litellm', 'litellm-spend-logs.json'],
  ] as const)('reads %s (%s) the same whatever the pieces are cut at', (format, name) => {
    const text = fixture(name);
    const whole = readInPieces(text, format, text.length);
    expect(whole.length).toBeGreaterThan(1);
    for (const size of [1, 2, 3, 7, 64, 1000]) expect(readInPieces(text, format, size)).toEqual(whole);
    // Minified, as the API sends it, it reads the same rows.
    const minified = readProviderExport(JSON.stringify(JSON.parse(text)), format);
    expect(minified.rows).toEqual(readProviderExport(text, format).rows);
  });

  it('reads results listed before their bucket’s times with those times', () => {
    const page = JSON.parse(fixture('anthropic-messages-usage.json'));
    const reordered = {
      data: page.data.map(({ results, ...times }: Record<string, unknown>) => ({ results, ...times })),
    };
    expect(Object.keys(reordered.data[0])[0]).toBe('results');
    expect(readProviderExport(JSON.stringify(reordered), 'anthropic')).toEqual(
      readProviderExport(JSON.stringify(page), 'anthropic'),
    );
  });

  it('reports a cut-off document and keeps the records read before the cut', () => {
    const text = fixture('anthropic-messages-usage.json');
    const cut = text.slice(0, text.indexOf('"apikey_01Triage"'));
    const { rows, bad } = readProviderExport(cut, 'anthropic');
    expect(rows).toHaveLength(2);
    expect(bad).toEqual([{ line: cut.split('\n').length, reason: 'not valid JSON' }]);
  });

  it('skips a record longer than the limit, unread, and reads on', () => {
    const seen: string[] = [];
    const visitor: JsonVisitor = {
      walk: (path) => path.length === 0,
      open: () => {},
      close: () => {},
      value: (path, value) => seen.push(`${path.join('.')}=${JSON.stringify(value)}`),
      tooLarge: (path, line) => seen.push(`${path.join('.')} too large on line ${line}`),
      invalid: (line) => seen.push(`invalid on line ${line}`),
    };
    const stream = createJsonStream(visitor, 20);
    stream.write('[{"a":1},\n{"b":"');
    stream.write(`${'x'.repeat(100)}"},\n"\\"]}"]\n{"c":`);
    stream.write('3}\n');
    stream.end();
    expect(seen).toEqual([
      '0={"a":1}',
      '1 too large on line 2',
      '2="\\"]}"', // The next top-level value, walked as the first was.
      'c=3',
    ]);
  });
});

describe('a spend-log row too long to read', () => {
  it('is reported whole, never imported without the field that was too long', () => {
    const row = (id: string, metadata: unknown) =>
      JSON.stringify({
        request_id: id,
        startTime: '2026-10-01T00:00:00Z',
        model: 'm',
        api_key: 'k',
        prompt_tokens: 3,
        completion_tokens: 2,
        metadata,
      });
    const huge = {
      usage_object: { prompt_tokens_details: { cached_tokens: 2 } },
      note: 'x'.repeat(5 * 1024 * 1024),
    };
    const { rows, bad } = readProviderExport(
      `${row('r1', {})}\n${row('r2', huge)}\n${row('r3', {})}\n`,
      'litellm',
    );
    expect(rows.map((r) => r.id)).toEqual(['r1', 'r3']);
    expect(bad).toEqual([{ line: 2, reason: 'a record longer than 4 MiB of text' }]);
  });
});

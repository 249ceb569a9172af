import { describe, expect, it } from 'vitest';
import { usageKeyInto } from '../../../electron/backend/usage/usage-key';
import type { UsageRow } from '../../../electron/backend/usage/usage-row';

/**
 * The key as the first importer computed it: the record's text built whole, then hashed by two
 * 32-bit FNV-1a-style passes. Stores keep the keys of past imports, so the importer must give these
 * exact values for ever, however it computes them.
 */
function keyOfText(text: string): bigint {
  let high = 0x811c9dc5;
  let low = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    high = Math.imul(high ^ unit, 0x01000193);
    low = Math.imul(low ^ unit, 0x5bd1e995);
    low ^= low >>> 15;
  }
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
}

function textOf(row: UsageRow): string {
  if (row.id !== null) return `id\u0000${row.id}`;
  const two = `row\u0000${row.timestamp}\u0000${row.agent}\u0000${row.model}\u0000${row.inputTokens}\u0000${row.outputTokens}`;
  const onlyTwo =
    row.cacheReadTokens === 0 &&
    row.cacheWriteTokens === 0 &&
    row.cacheWrite1hTokens === 0 &&
    row.reasoningTokens === 0 &&
    row.tier === 0 &&
    row.requests === 1 &&
    row.longContext === null;
  return onlyTwo
    ? two
    : `${two}\u0000${row.cacheReadTokens}\u0000${row.cacheWriteTokens}\u0000${row.cacheWrite1hTokens}\u0000${row.reasoningTokens}\u0000${row.tier}\u0000${row.requests}\u0000${row.longContext}`;
}

function keyOf(row: UsageRow): bigint {
  const keys = new BigInt64Array(1);
  usageKeyInto(row, new Uint32Array(keys.buffer), 0);
  return keys[0] as bigint;
}

const TWO_COLUMNS: UsageRow = {
  timestamp: 1_767_225_600_000,
  agent: 'support-bot',
  model: 'claude-sonnet-4-5',
  inputTokens: 1200,
  outputTokens: 340,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
  tier: 0,
  requests: 1,
  longContext: null,
  id: null,
};

describe('a usage record’s import key', () => {
  const rows: [string, UsageRow][] = [
    ['two columns', TWO_COLUMNS],
    ['an id', { ...TWO_COLUMNS, id: 'req_01JX…ünïcode' }],
    [
      'every column',
      {
        ...TWO_COLUMNS,
        cacheReadTokens: 90_000,
        cacheWriteTokens: 12,
        cacheWrite1hTokens: 7,
        reasoningTokens: 55,
        tier: 2,
        requests: 3,
        longContext: true,
      },
    ],
    ['long context false only', { ...TWO_COLUMNS, longContext: false }],
    ['zero counts', { ...TWO_COLUMNS, inputTokens: 0, outputTokens: 0, requests: 0 }],
    [
      'the largest exact counts',
      { ...TWO_COLUMNS, inputTokens: Number.MAX_SAFE_INTEGER, outputTokens: 1e12, cacheReadTokens: 10 ** 15 },
    ],
    ['non-ASCII names', { ...TWO_COLUMNS, agent: 'agent-é漢字', model: 'gpt-5 mini' }],
  ];
  it.each(rows)('is the hash of the text it always was: %s', (_, row) => {
    expect(keyOf(row)).toBe(keyOfText(textOf(row)));
  });

  it('tells apart records that differ in one count, and gives equal records one key', () => {
    expect(keyOf({ ...TWO_COLUMNS })).toBe(keyOf(TWO_COLUMNS));
    expect(keyOf({ ...TWO_COLUMNS, outputTokens: 341 })).not.toBe(keyOf(TWO_COLUMNS));
    expect(keyOf({ ...TWO_COLUMNS, requests: 2 })).not.toBe(keyOf(TWO_COLUMNS));
  });
});

import type { UsageRow } from './usage-row';

/**
 * Two independent 32-bit FNV-1a-style passes over the text: one signed 64-bit integer, written as
 * its low and high halves at `out[2 * at]` and `out[2 * at + 1]` (a BigInt64Array's words), so a
 * batch of keys is sorted and stored without a BigInt per row.
 */
function hash64Into(text: string, out: Uint32Array, at: number): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[2 * at] = b >>> 0;
  out[2 * at + 1] = a >>> 0;
}

/**
 * What makes a record "already imported": its id when it has one, else its whole content (so the
 * same file imported twice changes nothing). 64 bits keep collisions below one in a million at
 * ten million rows. The text hashed must never change: stores keep the keys of past imports.
 */
export function usageKeyInto(row: UsageRow, out: Uint32Array, at: number): void {
  if (row.id !== null) {
    hash64Into(`id\u0000${row.id}`, out, at);
    return;
  }
  const twoColumns = `row\u0000${row.timestamp}\u0000${row.agent}\u0000${row.model}\u0000${row.inputTokens}\u0000${row.outputTokens}`;
  // A record with only the two original counts keeps the key it always had.
  const onlyTwoColumns =
    row.cacheReadTokens === 0 &&
    row.cacheWriteTokens === 0 &&
    row.cacheWrite1hTokens === 0 &&
    row.reasoningTokens === 0 &&
    row.tier === 0 &&
    row.requests === 1 &&
    row.longContext === null;
  hash64Into(
    onlyTwoColumns
      ? twoColumns
      : `${twoColumns}\u0000${row.cacheReadTokens}\u0000${row.cacheWriteTokens}\u0000${row.cacheWrite1hTokens}\u0000${row.reasoningTokens}\u0000${row.tier}\u0000${row.requests}\u0000${row.longContext}`,
    out,
    at,
  );
}

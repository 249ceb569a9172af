import type { UsageRow } from './usage-row';

/** Two independent 32-bit FNV-1a-style passes over the text, as one signed 64-bit integer. */
function hash64(text: string): bigint {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return BigInt.asIntN(64, (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0));
}

/**
 * What makes a record "already imported": its id when it has one, else its whole content (so the
 * same file imported twice changes nothing). 64 bits keep collisions below one in a million at
 * ten million rows.
 */
export function usageKey(row: UsageRow): bigint {
  return row.id !== null
    ? hash64(`id\u0000${row.id}`)
    : hash64(
        `row\u0000${row.timestamp}\u0000${row.agent}\u0000${row.model}\u0000${row.inputTokens}\u0000${row.outputTokens}`,
      );
}

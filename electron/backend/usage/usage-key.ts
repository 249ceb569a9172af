import type { UsageRow } from './usage-row';

/**
 * Two independent 32-bit FNV-1a-style passes over a text: one signed 64-bit integer. The text is
 * fed in parts (strings, numbers as their decimal digits, separators) without being built: joining
 * a key's text cost more per row than hashing it. `begin` takes the whole text's length.
 */
let low = 0;
let high = 0;

function begin(length: number): void {
  high = 0x811c9dc5;
  low = 0x01000193 ^ length;
}

function code(unit: number): void {
  high = Math.imul(high ^ unit, 0x01000193);
  low = Math.imul(low ^ unit, 0x5bd1e995);
  low ^= low >>> 15;
}

/** As code() for each unit, the state in locals: a call per character kept it in memory. */
function text(part: string): void {
  let h = high;
  let l = low;
  for (let i = 0; i < part.length; i++) {
    const unit = part.charCodeAt(i);
    h = Math.imul(h ^ unit, 0x01000193);
    l = Math.imul(l ^ unit, 0x5bd1e995);
    l ^= l >>> 15;
  }
  high = h;
  low = l;
}

/** A whole number from 0 to 2^53 − 1: written without exponent, its decimal digits are exact. */
const plain = (value: number) => Number.isSafeInteger(value) && value >= 0;
const digits = new Uint8Array(16);

/**
 * A whole number's high and low decimal halves, `${high}` then `${low}` padded to 9 digits: both fit
 * 32-bit integer arithmetic (a timestamp in ms does not), which costs a fraction of a double's `%`.
 */
const LOW_DIGITS = 1_000_000_000;
const highOf = (value: number) => Math.floor(value / LOW_DIGITS);

/** How many digits a number below 2^31 has. */
function smallLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) length++;
  return length;
}

/** How many characters `${value}` has. */
function numberLength(value: number): number {
  if (!plain(value)) return String(value).length;
  if (value < LOW_DIGITS) return smallLength(value);
  return smallLength(highOf(value)) + 9;
}

/** Feeds the `width` last decimal digits of `value` (below 2^31), leading zeros included. */
function smallDigits(value: number, width: number): void {
  let rest = value;
  for (let at = width - 1; at >= 0; at--) {
    const next = (rest / 10) | 0;
    digits[at] = rest - next * 10;
    rest = next;
  }
  let h = high;
  let l = low;
  for (let at = 0; at < width; at++) {
    const unit = 48 + (digits[at] as number);
    h = Math.imul(h ^ unit, 0x01000193);
    l = Math.imul(l ^ unit, 0x5bd1e995);
    l ^= l >>> 15;
  }
  high = h;
  low = l;
}

/** Feeds `${value}`. */
function number(value: number): void {
  if (!plain(value)) {
    text(String(value));
    return;
  }
  if (value < LOW_DIGITS) {
    smallDigits(value, smallLength(value));
    return;
  }
  const high = highOf(value);
  smallDigits(high, smallLength(high));
  smallDigits(value - high * LOW_DIGITS, 9);
}

/** Writes the hash as its low and high halves at `out[2 * at]` and `out[2 * at + 1]` (a BigInt64Array's words). */
function end(out: Uint32Array, at: number): void {
  out[2 * at] = low >>> 0;
  out[2 * at + 1] = high >>> 0;
}

const SEPARATOR = 0;
const COUNTS = [
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
  'tier',
  'requests',
] as const;

/**
 * What makes a record "already imported": its id when it has one, else its whole content (so the
 * same file imported twice changes nothing). 64 bits keep collisions below one in a million at
 * ten million rows. The text hashed must never change: stores keep the keys of past imports. It is
 * `id\0{id}`, or `row\0{timestamp}\0{agent}\0{model}\0{input}\0{output}` followed, unless the record
 * has only the two original counts (so it keeps the key it always had), by
 * `\0{cacheRead}\0{cacheWrite}\0{cacheWrite1h}\0{reasoning}\0{tier}\0{requests}\0{longContext}`.
 */
export function usageKeyInto(row: UsageRow, out: Uint32Array, at: number): void {
  if (row.id !== null) {
    begin(3 + row.id.length);
    text('id');
    code(SEPARATOR);
    text(row.id);
    end(out, at);
    return;
  }
  const onlyTwoColumns =
    row.cacheReadTokens === 0 &&
    row.cacheWriteTokens === 0 &&
    row.cacheWrite1hTokens === 0 &&
    row.reasoningTokens === 0 &&
    row.tier === 0 &&
    row.requests === 1 &&
    row.longContext === null;
  const longContext = onlyTwoColumns ? '' : String(row.longContext);
  let length =
    3 +
    5 +
    numberLength(row.timestamp) +
    row.agent.length +
    row.model.length +
    numberLength(row.inputTokens) +
    numberLength(row.outputTokens);
  if (!onlyTwoColumns) {
    for (const count of COUNTS) length += 1 + numberLength(row[count]);
    length += 1 + longContext.length;
  }
  begin(length);
  text('row');
  code(SEPARATOR);
  number(row.timestamp);
  code(SEPARATOR);
  text(row.agent);
  code(SEPARATOR);
  text(row.model);
  code(SEPARATOR);
  number(row.inputTokens);
  code(SEPARATOR);
  number(row.outputTokens);
  if (!onlyTwoColumns) {
    for (const count of COUNTS) {
      code(SEPARATOR);
      number(row[count]);
    }
    code(SEPARATOR);
    text(longContext);
  }
  end(out, at);
}

import { DAY_MS } from '../../../shared/domain/days';
import type { BadRow } from './import-usage';
import { positionsBy } from './sum-table';

/** `longContext` of a row that does not say: the import works its band out. */
export const LONG_CONTEXT_UNSAID = -1;

/** Day numbers fit below this (usage-row refuses times past 2149). */
export const DAYS = 65_536;
/** Model numbers of the reader's below this are ordered apart; the writer refuses a file naming more. */
export const MODELS = 2 ** 17;

/**
 * One batch of a usage file, as plain typed arrays so a reader thread can hand it to the writer
 * without copying: per row its de-duplication key, time, token counts, tier, requests, line number
 * and the agent handle and model as numbers in the reader's dictionaries. The names those numbers
 * stand for arrive with the batch that first uses them. Once sealed, its rows are in the order the
 * daily rollups are written, (model, day), not the file's (see `sealed`).
 */
export interface UsageBatch {
  size: number;
  keys: BigInt64Array;
  at: Float64Array;
  input: Float64Array;
  output: Float64Array;
  cacheRead: Float64Array;
  cacheWrite: Float64Array;
  cacheWrite1h: Float64Array;
  reasoning: Float64Array;
  requests: Float64Array;
  /** Index in TIERS. */
  tier: Uint8Array;
  /** 1 or 0 as the row says, or LONG_CONTEXT_UNSAID. */
  longContext: Int8Array;
  lines: Float64Array;
  /** The line of the batch's first record in the file (0 when it has none). */
  firstLine: number;
  agent: Int32Array;
  model: Int32Array;
  /** The rows' keys sorted, each once. */
  uniqueKeys: BigInt64Array;
  /** Per row, 1 when another row of the batch has its key. */
  repeats: Uint8Array;
  /** Handles and models first seen in this batch, numbered after those of earlier batches. */
  newAgents: string[];
  newModels: string[];
  /** Lines of this stretch of the file that could not be read as a record. */
  bad: BadRow[];
  /** Non-blank lines read (the header aside) and bytes of the file read, up to this batch's end. */
  rowsRead: number;
  bytesRead: number;
}

export function emptyBatch(capacity: number): UsageBatch {
  return {
    size: 0,
    keys: new BigInt64Array(capacity),
    at: new Float64Array(capacity),
    input: new Float64Array(capacity),
    output: new Float64Array(capacity),
    cacheRead: new Float64Array(capacity),
    cacheWrite: new Float64Array(capacity),
    cacheWrite1h: new Float64Array(capacity),
    reasoning: new Float64Array(capacity),
    requests: new Float64Array(capacity),
    tier: new Uint8Array(capacity),
    longContext: new Int8Array(capacity),
    lines: new Float64Array(capacity),
    firstLine: 0,
    agent: new Int32Array(capacity),
    model: new Int32Array(capacity),
    uniqueKeys: new BigInt64Array(0),
    repeats: new Uint8Array(0),
    newAgents: [],
    newModels: [],
    bad: [],
    rowsRead: 0,
    bytesRead: 0,
  };
}

/** The buffers to transfer when posting the batch to another thread. */
export function batchBuffers(batch: UsageBatch): ArrayBuffer[] {
  return [
    batch.keys,
    batch.at,
    batch.input,
    batch.output,
    batch.cacheRead,
    batch.cacheWrite,
    batch.cacheWrite1h,
    batch.reasoning,
    batch.requests,
    batch.tier,
    batch.longContext,
    batch.lines,
    batch.agent,
    batch.model,
    batch.uniqueKeys,
    batch.repeats,
  ].map((array) => array.buffer as ArrayBuffer);
}

/** The first `size` values of `from`, in `order`. */
function permuted<Values extends Float64Array | Int32Array | Uint8Array | Int8Array>(
  from: Values,
  order: Int32Array,
): Values {
  const to = new (from.constructor as new (length: number) => Values)(order.length);
  for (let at = 0; at < order.length; at++) to[at] = from[order[at] as number] as number;
  return to;
}

/**
 * The filled batch made ready for the writer, work that needs no store done here (in the reader's
 * thread, which has time to spare): its rows put in the daily rollups' order, (model, day), so the
 * writer's sums come out in the order they are written and each row's neighbours share its pages;
 * and its keys sorted, each once, with the rows whose key repeats marked.
 */
export function sealed(batch: UsageBatch): UsageBatch {
  const { size } = batch;
  const order = positionsBy(
    size,
    (at) =>
      Math.min(batch.model[at] as number, MODELS - 1) * DAYS + Math.floor((batch.at[at] as number) / DAY_MS),
  );
  // Keys are moved as their two 32-bit words: reading a BigInt64Array element makes a BigInt.
  const keys = new BigInt64Array(size);
  const keyWords = new Uint32Array(keys.buffer);
  const fromWords = new Uint32Array(batch.keys.buffer, batch.keys.byteOffset, 2 * size);
  for (let at = 0; at < size; at++) {
    const from = order[at] as number;
    keyWords[2 * at] = fromWords[2 * from] as number;
    keyWords[2 * at + 1] = fromWords[2 * from + 1] as number;
  }
  const sorted = keys.slice().sort();
  const sortedWords = new Uint32Array(sorted.buffer);
  const repeated = new Set<bigint>();
  let unique = 0;
  for (let i = 0; i < size; i++) {
    const low = sortedWords[2 * i] as number;
    const high = sortedWords[2 * i + 1] as number;
    if (i > 0 && low === sortedWords[2 * i - 2] && high === sortedWords[2 * i - 1])
      repeated.add(sorted[i] as bigint);
    else {
      sortedWords[2 * unique] = low;
      sortedWords[2 * unique + 1] = high;
      unique++;
    }
  }
  const repeats = new Uint8Array(size);
  if (repeated.size > 0)
    for (let at = 0; at < size; at++) if (repeated.has(keys[at] as bigint)) repeats[at] = 1;
  return {
    ...batch,
    keys,
    at: permuted(batch.at, order),
    input: permuted(batch.input, order),
    output: permuted(batch.output, order),
    cacheRead: permuted(batch.cacheRead, order),
    cacheWrite: permuted(batch.cacheWrite, order),
    cacheWrite1h: permuted(batch.cacheWrite1h, order),
    reasoning: permuted(batch.reasoning, order),
    requests: permuted(batch.requests, order),
    tier: permuted(batch.tier, order),
    longContext: permuted(batch.longContext, order),
    lines: permuted(batch.lines, order),
    firstLine: size === 0 ? 0 : (batch.lines[0] as number),
    agent: permuted(batch.agent, order),
    model: permuted(batch.model, order),
    // A copy of its own: transferring a view would take the whole sorted buffer along.
    uniqueKeys: sorted.slice(0, unique),
    repeats,
  };
}

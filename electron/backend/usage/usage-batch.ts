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

/** The first `places.length` values of `from`, each moved to its place. */
function moved<Values extends Float64Array | Int32Array | Uint8Array | Int8Array>(
  from: Values,
  places: Int32Array,
): Values {
  const to = new (from.constructor as new (length: number) => Values)(places.length);
  for (let at = 0; at < places.length; at++) to[places[at] as number] = from[at] as number;
  return to;
}

/** Past this many (model, day) pairs a batch could hold, rows are ordered by sorting rather than counting. */
const MAX_COUNTED = 1 << 22;

/**
 * Each row's place in the daily rollups' order, (model, day), rows of a pair in the file's order.
 * Usually counted out (a few models over a few hundred days), which moves each column in one pass
 * whose writes go to as many places as there are pairs: ordering by sort, then gathering, read each
 * value from anywhere in the batch.
 */
function rollupPlaces(batch: UsageBatch): Int32Array {
  const { size } = batch;
  const places = new Int32Array(size);
  const dayOf = (at: number) => Math.floor((batch.at[at] as number) / DAY_MS);
  const modelOf = (at: number) => Math.min(batch.model[at] as number, MODELS - 1);
  let firstDay = DAYS;
  let lastDay = 0;
  let lastModel = 0;
  for (let at = 0; at < size; at++) {
    const day = dayOf(at);
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
    lastModel = Math.max(lastModel, modelOf(at));
  }
  const span = lastDay - firstDay + 1;
  if (size === 0 || (lastModel + 1) * span > MAX_COUNTED) {
    const order = positionsBy(size, (at) => modelOf(at) * DAYS + dayOf(at));
    for (let rank = 0; rank < size; rank++) places[order[rank] as number] = rank;
    return places;
  }
  const pairOf = new Int32Array(size);
  const next = new Int32Array((lastModel + 1) * span + 1);
  for (let at = 0; at < size; at++) {
    const pair = modelOf(at) * span + dayOf(at) - firstDay;
    pairOf[at] = pair;
    next[pair + 1] = (next[pair + 1] as number) + 1;
  }
  for (let pair = 1; pair < next.length; pair++)
    next[pair] = (next[pair] as number) + (next[pair - 1] as number);
  for (let at = 0; at < size; at++) {
    const pair = pairOf[at] as number;
    places[at] = next[pair] as number;
    next[pair] = (next[pair] as number) + 1;
  }
  return places;
}

/**
 * The filled batch made ready for the writer, work that needs no store done here (in the reader's
 * thread, which has time to spare): its rows put in the daily rollups' order, (model, day), so the
 * writer's sums come out in the order they are written and each row's neighbours share its pages;
 * and its keys sorted, each once, with the rows whose key repeats marked.
 */
export function sealed(batch: UsageBatch): UsageBatch {
  const { size } = batch;
  const places = rollupPlaces(batch);
  // Keys are moved as their two 32-bit words: reading a BigInt64Array element makes a BigInt.
  const keys = new BigInt64Array(size);
  const keyWords = new Uint32Array(keys.buffer);
  const fromWords = new Uint32Array(batch.keys.buffer, batch.keys.byteOffset, 2 * size);
  for (let from = 0; from < size; from++) {
    const to = places[from] as number;
    keyWords[2 * to] = fromWords[2 * from] as number;
    keyWords[2 * to + 1] = fromWords[2 * from + 1] as number;
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
    at: moved(batch.at, places),
    input: moved(batch.input, places),
    output: moved(batch.output, places),
    cacheRead: moved(batch.cacheRead, places),
    cacheWrite: moved(batch.cacheWrite, places),
    cacheWrite1h: moved(batch.cacheWrite1h, places),
    reasoning: moved(batch.reasoning, places),
    requests: moved(batch.requests, places),
    tier: moved(batch.tier, places),
    longContext: moved(batch.longContext, places),
    lines: moved(batch.lines, places),
    firstLine: size === 0 ? 0 : (batch.lines[0] as number),
    agent: moved(batch.agent, places),
    model: moved(batch.model, places),
    // A copy of its own: transferring a view would take the whole sorted buffer along.
    uniqueKeys: sorted.slice(0, unique),
    repeats,
  };
}

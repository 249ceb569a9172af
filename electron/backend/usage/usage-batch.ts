import type { BadRow } from './import-usage';

/** `longContext` of a row that does not say: the import works its band out. */
export const LONG_CONTEXT_UNSAID = -1;

/**
 * One batch of a usage file, as plain typed arrays so a reader thread can hand it to the writer
 * without copying: per row its de-duplication key, time, token counts, tier, requests, line number
 * and the agent handle and model as numbers in the reader's dictionaries. The names those numbers
 * stand for arrive with the batch that first uses them.
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
  agent: Int32Array;
  model: Int32Array;
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
    agent: new Int32Array(capacity),
    model: new Int32Array(capacity),
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
  ].map((array) => array.buffer as ArrayBuffer);
}

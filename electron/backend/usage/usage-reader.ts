import { createReadStream } from 'node:fs';
import { type AddNamed, csvLineBytes } from './csv-line-bytes';
import { emptyBatch, LONG_CONTEXT_UNSAID, sealed, type UsageBatch } from './usage-batch';
import { usageKeyInto } from './usage-key';
import { MAX_TOKENS, type Parsed, parserFor, toUsageRow, type UsageFields, type UsageRow } from './usage-row';

/** Numbers for names, in order of first use; the names new since the last `take()`. */
function dictionary() {
  const ids = new Map<string, number>();
  let fresh: string[] = [];
  return {
    id(name: string): number {
      let id = ids.get(name);
      if (id === undefined) {
        id = ids.size;
        ids.set(name, id);
        fresh.push(name);
      }
      return id;
    },
    take(): string[] {
      const names = fresh;
      fresh = [];
      return names;
    },
  };
}

/** The first batch is small, so a large file shows progress soon. */
const FIRST_BATCH = 10_000;
/**
 * Each next batch is this many times larger, up to the largest: a batch writes every page of the
 * seen keys and the monthly sums it touches whatever its size, so small batches cost far more per
 * row (doubling from 10,000 took seven batches to reach 1,270,000 rows, each rewriting those pages).
 */
const GROWTH = 10;
/**
 * A batch is full once its counts add up to this: one more row (six counts of at most MAX_TOKENS)
 * keeps the total below 2^53, so every sum of a batch's rows is exact as a double.
 */
const BATCH_TOKENS = 2 ** 53 - 6 * MAX_TOKENS;

/**
 * Fills batches of up to `largest` records (the first of `first`), row by row, whatever the rows
 * are read from; a batch is also full when its counts reach BATCH_TOKENS.
 */
export function batchBuilder(largest: number, first = Math.min(FIRST_BATCH, largest)) {
  const agents = dictionary();
  const models = dictionary();
  let batchSize = first;
  let batch = emptyBatch(batchSize);
  let halves = new Uint32Array(batch.keys.buffer);
  let tokens = 0;
  /** Adds `row`, whose agent and model have the numbers given (agentNumber, modelNumber). */
  function addNamed(row: UsageRow, line: number, agent: number, model: number): void {
    const at = batch.size++;
    tokens +=
      row.inputTokens +
      row.outputTokens +
      row.cacheReadTokens +
      row.cacheWriteTokens +
      row.cacheWrite1hTokens +
      row.reasoningTokens;
    usageKeyInto(row, halves, at);
    batch.at[at] = row.timestamp;
    batch.input[at] = row.inputTokens;
    batch.output[at] = row.outputTokens;
    batch.cacheRead[at] = row.cacheReadTokens;
    batch.cacheWrite[at] = row.cacheWriteTokens;
    batch.cacheWrite1h[at] = row.cacheWrite1hTokens;
    batch.reasoning[at] = row.reasoningTokens;
    batch.requests[at] = row.requests;
    batch.tier[at] = row.tier;
    batch.longContext[at] = row.longContext === null ? LONG_CONTEXT_UNSAID : row.longContext ? 1 : 0;
    batch.lines[at] = line;
    batch.agent[at] = agent;
    batch.model[at] = model;
  }
  return {
    full: () => batch.size === batch.keys.length || tokens >= BATCH_TOKENS,
    bad(line: number, reason: string): void {
      batch.bad.push({ line, reason });
    },
    add(row: UsageRow, line: number): void {
      addNamed(row, line, agents.id(row.agent), models.id(row.model));
    },
    /** The number of an agent's handle or a model in this file's batches. */
    agentNumber: (name: string) => agents.id(name),
    modelNumber: (name: string) => models.id(name),
    addNamed,
    /** The batch so far, with its new names and the totals up to its end; the next one starts. */
    seal(rowsRead: number, bytesRead: number): UsageBatch {
      const filled = batch;
      filled.newAgents = agents.take();
      filled.newModels = models.take();
      filled.rowsRead = rowsRead;
      filled.bytesRead = bytesRead;
      batchSize = Math.min(batchSize * GROWTH, largest);
      batch = emptyBatch(batchSize);
      halves = new Uint32Array(batch.keys.buffer);
      tokens = 0;
      return sealed(filled);
    },
  };
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/**
 * Reads a CSV or JSON Lines usage file as batches of up to `largest` records, streaming: memory
 * stays flat whatever the file's size. Lines that are not a valid record travel in the batch's
 * `bad`. The last batch may be short or empty; it carries the totals of the whole file. A CSV file's
 * usual lines are read from their bytes (csvLineBytes); the others, and JSON Lines, as text.
 */
export async function* readUsageBatches(file: string, largest: number): AsyncGenerator<UsageBatch> {
  const builder = batchBuilder(largest);
  let parser: { parse(line: string): Parsed } | undefined;
  let fromBytes: ReturnType<typeof csvLineBytes> | undefined;
  let rowsRead = 0;
  let lineNumber = 0;
  let bytes = 0;
  const read = (raw: string, line: number): void => {
    // A byte-order mark (Windows tools write one) belongs to the file, not to its first line,
    // which is a CSV header or a JSON Lines record.
    const text = parser === undefined ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') return;
    if (parser === undefined) {
      const made = parserFor(text);
      parser = made;
      if (made.columns) fromBytes = csvLineBytes(made.columns, builder.agentNumber, builder.modelNumber);
      if (made.skipsFirstLine) return;
    }
    rowsRead++;
    const parsed = parser.parse(text);
    if (typeof parsed === 'string') builder.bad(line, parsed);
    else builder.add(parsed, line);
  };
  const addNamed: AddNamed = (row, line, agent, model) => {
    rowsRead++;
    builder.addNamed(row, line, agent, model);
  };
  const readBytes = (chunk: Buffer, start: number, end: number, line: number): void => {
    if (!fromBytes?.parse(chunk, start, end, line, addNamed)) read(chunk.toString('utf8', start, end), line);
  };

  let rest: Buffer = Buffer.alloc(0);
  for await (const read of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const chunk = read as Buffer;
    bytes += chunk.length;
    const text = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let start = 0;
    for (let end = text.indexOf(NEWLINE); end !== -1; end = text.indexOf(NEWLINE, start)) {
      readBytes(text, start, end > start && text[end - 1] === CARRIAGE_RETURN ? end - 1 : end, ++lineNumber);
      start = end + 1;
      if (builder.full()) yield builder.seal(rowsRead, bytes);
    }
    rest = text.subarray(start);
  }
  if (rest.length > 0) readBytes(rest, 0, rest.length, ++lineNumber);
  yield builder.seal(rowsRead, bytes);
}

/**
 * Batches of records already parsed into our format's fields (a provider export's rows), checked
 * as a file's are; a record's "line" is its position, from 1. `bytesRead` counts records.
 */
export async function* usageRecordBatches(
  records: Iterable<UsageFields> | AsyncIterable<UsageFields>,
  largest: number,
): AsyncGenerator<UsageBatch> {
  const builder = batchBuilder(largest);
  const days = new Map<string, number>();
  let count = 0;
  for await (const fields of records) {
    const row = toUsageRow(fields, days);
    if (typeof row === 'string') builder.bad(++count, row);
    else builder.add(row, ++count);
    if (builder.full()) yield builder.seal(count, count);
  }
  yield builder.seal(count, count);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { UsageBatch } from '../../../electron/backend/usage/usage-batch';
import { usageKeyInto } from '../../../electron/backend/usage/usage-key';
import { readUsageBatches } from '../../../electron/backend/usage/usage-reader';
import { parserFor, type UsageRow } from '../../../electron/backend/usage/usage-row';

const HEADER =
  'timestamp,agent,model,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cache_write_1h_tokens,reasoning_tokens,service_tier,requests,long_context,id';

const dir = mkdtempSync(join(tmpdir(), 'usage-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the import keeps of a record, found by its line. */
interface Read {
  key: bigint;
  row: Omit<UsageRow, 'id'>;
}

/** Every record and bad line of a file as the import's reader gives them. */
async function readAll(text: string, batchSize = 3) {
  const file = join(dir, `usage-${Math.random()}.csv`);
  writeFileSync(file, text);
  const records = new Map<number, Read>();
  const bad = new Map<number, string>();
  const agents: string[] = [];
  const models: string[] = [];
  let rowsRead = 0;
  for await (const batch of readUsageBatches(file, batchSize)) {
    agents.push(...batch.newAgents);
    models.push(...batch.newModels);
    for (const { line, reason } of batch.bad) bad.set(line, reason);
    for (let i = 0; i < batch.size; i++)
      records.set(batch.lines[i] as number, recordAt(batch, i, agents, models));
    rowsRead = batch.rowsRead;
  }
  return { records, bad, rowsRead };
}

function recordAt(batch: UsageBatch, i: number, agents: string[], models: string[]): Read {
  const said = batch.longContext[i] as number;
  return {
    key: batch.keys[i] as bigint,
    row: {
      timestamp: batch.at[i] as number,
      agent: agents[batch.agent[i] as number] as string,
      model: models[batch.model[i] as number] as string,
      inputTokens: batch.input[i] as number,
      outputTokens: batch.output[i] as number,
      cacheReadTokens: batch.cacheRead[i] as number,
      cacheWriteTokens: batch.cacheWrite[i] as number,
      cacheWrite1hTokens: batch.cacheWrite1h[i] as number,
      reasoningTokens: batch.reasoning[i] as number,
      tier: batch.tier[i] as number,
      requests: batch.requests[i] as number,
      longContext: said === -1 ? null : said === 1,
    },
  };
}

/** The same file read line by line as text, with the CSV parser alone: what every line must give. */
function expected(text: string) {
  const lines = text.split('\n');
  const parser = parserFor(HEADER);
  const records = new Map<number, Read>();
  const bad = new Map<number, string>();
  let rowsRead = 0;
  lines.slice(1).forEach((raw, at) => {
    const line = at + 2;
    const cell = at < lines.length - 2 && raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (cell.trim() === '') return;
    rowsRead++;
    const parsed = parser.parse(cell);
    if (typeof parsed === 'string') {
      bad.set(line, parsed);
      return;
    }
    const keys = new BigInt64Array(1);
    usageKeyInto(parsed, new Uint32Array(keys.buffer), 0);
    const { id: _id, ...row } = parsed;
    records.set(line, { key: keys[0] as bigint, row });
  });
  return { records, bad, rowsRead };
}

/** Usually a cell as usage files write it, now and then an odd one the reader must read as the text parser does. */
const cell = (usual: string[], odd: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...usual), weight: 12 },
    { arbitrary: fc.constantFrom(...odd), weight: 1 },
  );

const cells = {
  timestamp: cell(
    ['2026-03-01T12:00:00Z', '2026-03-01T12:00:00.123Z', '2025-12-31T23:59:59Z'],
    [
      '2026-02-30T12:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01t12:00:00Z',
      ' 2026-03-01T12:00:00Z',
      '2026-03-01T12:00:00+02:00',
      '2150-01-01T00:00:00Z',
      '1969-12-31T23:59:59.999Z',
      '20x6-03-01T12:00:00Z',
      '',
    ],
  ),
  name: cell(
    ['ann', 'bob', 'gpt-4o', 'zoë'],
    [' ann', 'ann ', 'é', '"a,b"', '"say ""hi"""', 'x'.repeat(201), '', '\u00a0ann'],
  ),
  count: cell(
    ['0', '7', '1200', '1000000000000'],
    ['000012', '999999999999999', '1000000000001', '1e3', '-1', ' 5', '5 ', ''],
  ),
  optionalCount: cell(['', '0', '3', '250'], ['007', '1000000000001', 'x', ' 1']),
  tier: cell(['', 'standard', 'batch', 'flex', 'priority'], ['Batch', ' flex', 'gold']),
  requests: cell(['', '1', '3'], ['0', 'x', '01']),
  longContext: cell(['', 'true', 'false'], ['TRUE', ' true', 'yes']),
  id: cell(['', 'req_1', 'req_2'], [' req_3 ', 'ünï', `r${'y'.repeat(240)}`, '"q,1"']),
};

const line = fc
  .tuple(
    cells.timestamp,
    cells.name,
    cells.name,
    cells.count,
    cells.count,
    cells.optionalCount,
    cells.optionalCount,
    cells.optionalCount,
    cells.optionalCount,
    cells.tier,
    cells.requests,
    cells.longContext,
    cells.id,
  )
  .map((row) => row.join(','));
const oddLine = fc.constantFrom(
  '',
  '   ',
  '2026-03-01T12:00:00Z,ann,m,1',
  'not,a,record',
  '\t',
  // An unquoted "1,000": one cell too many, refused rather than read one column off.
  '2026-03-01T12:00:00Z,ann,m,1,000,250,0,0,0,0,,1,,',
  // A trailing comma: an empty cell past the header's, read as the row it is; two, or a blank one, too.
  '2026-03-01T12:00:00Z,ann,m,1,250,0,0,0,0,,1,,,',
  '2026-03-01T12:00:00Z,ann,m,1,250,0,0,0,0,,1,,,,',
  '2026-03-01T12:00:00Z,ann,m,1,250,0,0,0,0,,1,,, ',
  // A value past the header's cells: refused, wherever it stands among empty ones.
  '2026-03-01T12:00:00Z,ann,m,1,250,0,0,0,0,,1,,,7',
  '2026-03-01T12:00:00Z,ann,m,1,250,0,0,0,0,,1,,,,x,',
);

describe('the usage file reader', () => {
  it('reads every CSV line as the text parser does: records, keys, bad rows and their line numbers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: line, weight: 8 }, { arbitrary: oddLine, weight: 1 }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.boolean(),
        fc.boolean(),
        async (lines, crlf, finalBreak) => {
          const text = [HEADER, ...lines].join(crlf ? '\r\n' : '\n') + (finalBreak ? '\n' : '');
          const read = await readAll(text);
          const want = expected(text);
          expect(read.bad).toEqual(want.bad);
          expect(read.records).toEqual(want.records);
          expect(read.rowsRead).toBe(want.rowsRead);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts the bytes of the whole file, multi-byte characters included', async () => {
    const text = `${HEADER}\n2026-03-01T12:00:00Z,zoë,m,1,2,,,,,,,,\n`;
    const file = join(dir, 'bytes.csv');
    writeFileSync(file, text);
    let bytesRead = 0;
    for await (const batch of readUsageBatches(file, 10)) bytesRead = batch.bytesRead;
    expect(bytesRead).toBe(Buffer.byteLength(text));
  });
});

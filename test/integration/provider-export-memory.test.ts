// Issue 14, finding 1: usage files are streamed, never read whole. A provider export of 128 MB,
// one JSON document (a single page whose one bucket lists about 390,000 results), is imported by a
// process whose JavaScript heap is capped at 48 MB: reading the file whole (a 128 MB string, then
// its parse) cannot fit, and did not before the reader streamed (that process died out of memory).
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runBoundedImport } from '../fixtures/run-bounded';

const HEAP_MB = 48;
const FILE_MB = 128;

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One page of OpenAI's completions usage, one bucket, results until the file is `mb` MiB. */
function writeExport(file: string, mb: number): number {
  const fd = openSync(file, 'w');
  writeSync(
    fd,
    '{"object":"page","data":[{"object":"bucket","start_time":1790812800,"end_time":1790899200,"results":[',
  );
  const result = (i: number) =>
    JSON.stringify({
      object: 'organization.usage.completions.result',
      input_tokens: 1_000,
      output_tokens: 10,
      input_cached_tokens: 100,
      input_cache_write_tokens: 0,
      input_cache_write_12h_tokens: 0,
      input_audio_tokens: 0,
      output_audio_tokens: 0,
      num_model_requests: 2,
      project_id: 'proj_bulk',
      user_id: null,
      api_key_id: 'key_bulk',
      model: `gpt-4o-${i % 3}`,
      batch: false,
    });
  let results = 0;
  let bytes = 0;
  while (bytes < mb * 1024 * 1024) {
    const part = Array.from({ length: 1_000 }, () => result(results++)).join(',');
    bytes += writeSync(fd, results > 1_000 ? `,${part}` : part);
  }
  writeSync(fd, ']}],"has_more":false,"next_page":null}');
  closeSync(fd);
  return results;
}

it(`imports a ${FILE_MB} MB provider export in a process with a ${HEAP_MB} MB heap`, async () => {
  dir = mkdtempSync(join(tmpdir(), 'orgdeck-bounded-'));
  const file = join(dir, 'completions.json');
  const results = writeExport(file, FILE_MB);
  const { code, out, err } = await runBoundedImport(HEAP_MB, ['usage', join(dir, 'data'), file, 'openai']);
  expect(code, err.slice(-2000)).toBe(0);
  const { job, maxRssBytes } = JSON.parse(out) as {
    job: {
      status: string;
      rowsRead: number;
      bytesDone: number;
      unmatched: { rows: number; input_tokens: number }[];
    };
    maxRssBytes: number;
  };
  // Every result was read: none is mapped to an agent, so all are reported unmatched, summed.
  expect(job).toMatchObject({ status: 'done', rowsRead: results, bytesDone: statSync(file).size });
  expect(job.unmatched).toEqual([expect.objectContaining({ rows: results, input_tokens: results * 900 })]);
  console.info(
    `${FILE_MB} MB export, ${results} results, ${HEAP_MB} MB heap: peak RSS ${Math.round(maxRssBytes / 1024 / 1024)} MB`,
  );
}, 60_000);

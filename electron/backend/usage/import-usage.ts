import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Db } from '../store/database';
import { createJobsRepo } from '../store/repos/jobs-repo';
import { createUsageRepo, UNATTRIBUTED } from '../store/repos/usage-repo';
import { createAttribution } from './attribution';
import { usageKey } from './usage-key';
import { type Parsed, parserFor, type UsageRow } from './usage-row';

export interface ImportProgress {
  bytesTotal: number;
  bytesDone: number;
  rowsRead: number;
  imported: number;
  skipped: number;
  bad: number;
}

export interface BadRow {
  line: number;
  reason: string;
}

export interface ImportOptions {
  batchSize?: number;
  onProgress?(progress: ImportProgress): void;
}

type DailyRow = [string, string, string, string, number, number, number];
type MonthlyRow = [string, string, string, string, string, number, number, number];

const compareKeys = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** How many bad rows the job keeps with line and reason; all are counted. */
const KEEP_BAD = 100;
const DAY_MS = 86_400_000;

/** Yields the file's lines with their 1-based numbers and the bytes read so far; memory stays flat. */
async function* lines(file: string): AsyncGenerator<{ text: string; number: number; bytes: number }> {
  let rest = '';
  let number = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    bytes += Buffer.byteLength(chunk as string);
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts)
      yield { text: part.endsWith('\r') ? part.slice(0, -1) : part, number: ++number, bytes };
  }
  if (rest !== '') yield { text: rest, number: ++number, bytes };
}

/**
 * Streams a usage file into the store in transactional batches: each batch records which rows it
 * saw, adds their tokens to the daily and monthly rollups and saves the job's progress, all at
 * once. A crash loses nothing committed, and importing the file again finishes the job, because
 * rows already seen are skipped.
 */
export async function importUsageFile(
  db: Db,
  file: string,
  jobId: string,
  options: ImportOptions = {},
): Promise<ImportProgress> {
  const batchSize = options.batchSize ?? 50_000;
  const usage = createUsageRepo(db);
  const jobs = createJobsRepo(db);
  const attribution = createAttribution(db);
  const progress: ImportProgress = {
    bytesTotal: (await stat(file)).size,
    bytesDone: 0,
    rowsRead: 0,
    imported: 0,
    skipped: 0,
    bad: 0,
  };
  const badRows: BadRow[] = [];
  const days = new Map<number, string>();
  const dayOf = (ms: number) => {
    const index = Math.floor(ms / DAY_MS);
    let day = days.get(index);
    if (day === undefined) {
      day = new Date(index * DAY_MS).toISOString().slice(0, 10);
      days.set(index, day);
    }
    return day;
  };
  const rememberBad = (line: number, reason: string) => {
    progress.bad++;
    if (badRows.length < KEEP_BAD) badRows.push({ line, reason });
  };

  let batch: { row: UsageRow; line: number }[] = [];
  let bytesAtBatchEnd = 0;

  const commit = db
    .transaction(() => {
      attribution.refresh();
      const daily = new Map<string, DailyRow>();
      const monthly = new Map<string, MonthlyRow>();
      // Keys go into the seen-rows index in sorted order: neighbouring inserts touch the same pages.
      const known = batch.flatMap(({ row, line }) => {
        const agent = attribution.agent(row.agent);
        if (!agent) {
          rememberBad(line, `no agent with the handle "${row.agent}"`);
          return [];
        }
        return [{ row, agent, key: usageKey(row) }];
      });
      const keys = known.map((entry) => entry.key);
      const order = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a] as bigint, keys[b] as bigint));
      const fresh = new Set<number>();
      for (const i of order) if (usage.markSeen(keys[i] as bigint)) fresh.add(i);
      for (const [i, { row, agent }] of known.entries()) {
        if (!fresh.has(i)) {
          progress.skipped++;
          continue;
        }
        const orgKey = attribution.orgAt(agent, row.timestamp) ?? UNATTRIBUTED;
        const day = dayOf(row.timestamp);
        const dailyKey = `${row.model}|${day}|${agent.agentId}|${orgKey}`;
        const d = daily.get(dailyKey);
        if (d) {
          d[4] += row.inputTokens;
          d[5] += row.outputTokens;
          d[6]++;
        } else
          daily.set(dailyKey, [row.model, day, agent.agentId, orgKey, row.inputTokens, row.outputTokens, 1]);
        const priceFrom = attribution.priceFrom(row.model, day);
        const month = day.slice(0, 7);
        const monthlyKey = `${month}|${orgKey}|${agent.agentId}|${row.model}|${priceFrom}`;
        const m = monthly.get(monthlyKey);
        if (m) {
          m[5] += row.inputTokens;
          m[6] += row.outputTokens;
          m[7]++;
        } else {
          monthly.set(monthlyKey, [
            month,
            orgKey,
            agent.agentId,
            row.model,
            priceFrom,
            row.inputTokens,
            row.outputTokens,
            1,
          ]);
        }
        progress.imported++;
      }
      for (const key of [...daily.keys()].sort()) usage.addDaily(...(daily.get(key) as DailyRow));
      for (const key of [...monthly.keys()].sort()) usage.addMonthly(...(monthly.get(key) as MonthlyRow));
      if (fresh.size > 0) usage.bumpRevision();
      attribution.settle();
      progress.bytesDone = bytesAtBatchEnd;
      jobs.progress(jobId, {
        bytes_done: progress.bytesDone,
        rows_read: progress.rowsRead,
        imported: progress.imported,
        skipped: progress.skipped,
        bad: progress.bad,
        bad_rows: JSON.stringify(badRows),
      });
    })
    .immediate.bind(null);

  let parser: { parse(line: string): Parsed } | undefined;
  for await (const { text, number, bytes } of lines(file)) {
    if (parser === undefined) {
      if (text.trim() === '') continue;
      const made = parserFor(text);
      parser = made;
      if (made.skipsFirstLine) continue;
    }
    if (text.trim() === '') continue;
    progress.rowsRead++;
    const parsed = parser.parse(text);
    if ('reason' in parsed) rememberBad(number, parsed.reason);
    else batch.push({ row: parsed.row, line: number });
    bytesAtBatchEnd = bytes;
    if (batch.length >= batchSize) {
      commit();
      batch = [];
      options.onProgress?.({ ...progress });
    }
  }
  bytesAtBatchEnd = progress.bytesTotal;
  commit();
  options.onProgress?.({ ...progress });
  return progress;
}

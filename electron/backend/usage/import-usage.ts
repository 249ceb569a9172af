import { stat } from 'node:fs/promises';
import type { Db } from '../store/database';
import { createJobsRepo } from '../store/repos/jobs-repo';
import { createBatchWriter } from './batch-writer';
import type { UsageBatch } from './usage-batch';
import { readUsageBatches, usageRecordBatches } from './usage-reader';
import type { UsageFields } from './usage-row';

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
  /** The file's batches when another thread reads them. */
  batches?: AsyncIterable<UsageBatch>;
  onProgress?(progress: ImportProgress): void;
}

/** How many bad rows the job keeps with line and reason; all are counted. */
const KEEP_BAD = 100;
/**
 * The most rows per transaction. Large batches write each touched page of the seen-rows index and
 * the monthly sums once for many rows; a crash loses at most one batch, which importing again redoes.
 */
export const BATCH_SIZE = 1_000_000;

/**
 * Imports a usage file into the store one transaction per batch: each records which rows it saw,
 * adds their tokens to the daily and monthly rollups and saves the job's progress, all at once. A
 * crash loses nothing committed, and importing the file again finishes the job, because rows
 * already seen are skipped. `batches` are the file's, read here unless another thread reads them.
 */
export async function importUsageFile(
  db: Db,
  file: string,
  jobId: string,
  options: ImportOptions = {},
): Promise<ImportProgress> {
  return importBatches(
    db,
    options.batches ?? readUsageBatches(file, options.batchSize ?? BATCH_SIZE),
    (await stat(file)).size,
    jobId,
    options.onProgress,
  );
}

/**
 * Imports records already in our format's vocabulary (a provider export's parser's rows: objects
 * with the columns timestamp, agent, model, input_tokens, output_tokens, cache_read_tokens, …),
 * checked, de-duplicated and summed exactly as a usage file's lines are. A bad record's "line" is
 * its position from 1; the job's byte counts count records.
 */
export function importUsageRecords(
  db: Db,
  records: Iterable<UsageFields> | AsyncIterable<UsageFields>,
  jobId: string,
  options: Pick<ImportOptions, 'batchSize' | 'onProgress'> & { count?: number } = {},
): Promise<ImportProgress> {
  return importBatches(
    db,
    usageRecordBatches(records, options.batchSize ?? BATCH_SIZE),
    options.count ?? 0,
    jobId,
    options.onProgress,
  );
}

async function importBatches(
  db: Db,
  batches: AsyncIterable<UsageBatch>,
  bytesTotal: number,
  jobId: string,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportProgress> {
  const jobs = createJobsRepo(db);
  const writer = createBatchWriter(db);
  const progress: ImportProgress = {
    bytesTotal,
    bytesDone: 0,
    rowsRead: 0,
    imported: 0,
    skipped: 0,
    bad: 0,
  };
  const badRows: BadRow[] = [];
  const rememberBad = (line: number, reason: string) => {
    progress.bad++;
    if (badRows.length < KEEP_BAD) badRows.push({ line, reason });
  };
  const commit = db
    .transaction((batch: UsageBatch) => {
      const { imported, skipped } = writer.write(batch, rememberBad);
      progress.imported += imported;
      progress.skipped += skipped;
      progress.rowsRead = batch.rowsRead;
      progress.bytesDone = batch.bytesRead;
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

  for await (const batch of batches) {
    commit(batch);
    onProgress?.({ ...progress });
  }
  return progress;
}

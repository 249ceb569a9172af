import { stat } from 'node:fs/promises';
import type { UsageFormat } from '../../../shared/domain/usage-identity';
import type { Db } from '../store/database';
import { createJobsRepo } from '../store/repos/jobs-repo';
import { createBatchWriter } from './batch-writer';
import { importProviderExport } from './import-provider-export';
import type { UsageBatch } from './usage-batch';
import { readUsageBatches } from './usage-reader';

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
  /** What the file holds (detected before the job starts); our own format when absent. */
  format?: UsageFormat;
  batchSize?: number;
  /** The file's batches when another thread reads them. */
  batches?: AsyncIterable<UsageBatch>;
  onProgress?(progress: ImportProgress): void;
}

const INT64_MAX = '9,223,372,036,854,775,807';
/** How many bad rows the job keeps with line and reason; all are counted. */
export const KEEP_BAD = 100;
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
  if (options.format !== undefined && options.format !== 'orgdeck')
    return importProviderExport(db, file, jobId, options.format, options);
  const jobs = createJobsRepo(db);
  const writer = createBatchWriter(db, jobs.usageRef(jobId));
  const progress: ImportProgress = {
    bytesTotal: (await stat(file)).size,
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
  // A sum past 2^63 becomes a REAL in SQLite, which the rollups' INTEGER columns refuse: the batch
  // is rolled back and the job stops, saying why, with the batches before it kept (and undoable).
  const writeRefusingOverflow = (batch: UsageBatch) => {
    try {
      return writer.write(batch, rememberBad);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_DATATYPE') throw error;
      throw new Error(
        `The usage of one agent and model in a month would pass ${INT64_MAX} tokens, more than can be ` +
          `summed; the rows from line ${batch.lines[0]} on were not imported.`,
      );
    }
  };
  const commit = db
    .transaction((batch: UsageBatch) => {
      const { imported, skipped } = writeRefusingOverflow(batch);
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

  for await (const batch of options.batches ?? readUsageBatches(file, options.batchSize ?? BATCH_SIZE)) {
    commit(batch);
    options.onProgress?.({ ...progress });
  }
  return progress;
}

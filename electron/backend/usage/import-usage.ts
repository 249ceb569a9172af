import { stat } from 'node:fs/promises';
import type { UsageFormat } from '../../../shared/domain/usage-identity';
import { type SqliteDb, walKeeper } from '../store/database';
import type { Db } from '../store/engine';
import { isIntegerOverflow } from '../store/engine-errors';
import { createJobsRepo, JOB_NO_LONGER_RUNNING, type JobProgress } from '../store/repos/jobs-repo';
import { createBatchWriter } from './batch-writer';
import { importProviderExport } from './import-provider-export';
import type { UsageBatch } from './usage-batch';
import { readUsageBatches, usageRecordBatches } from './usage-reader';
import type { UsageFields } from './usage-row';
import { atOnce, type InTurn } from './write-turns';

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
  /** Runs each transaction of the import once the backend's calls leave it the lock (see write-turns.ts). */
  inTurn?: InTurn;
}

const INT64_MAX = '9,223,372,036,854,775,807';
/** How many bad rows the job keeps with line and reason; all are counted. */
const KEEP_BAD = 100;
/** How many distinct reasons a job counts apart; a file with more has its rest counted together. */
const KEEP_REASONS = 50;
const OTHER_PROBLEMS = 'other problems (see the bad rows)';
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
  db: SqliteDb,
  file: string,
  jobId: string,
  options: ImportOptions = {},
): Promise<ImportProgress> {
  if (options.format !== undefined && options.format !== 'orgdeck')
    return importProviderExport(db, file, jobId, options.format, options);
  return importBatches(
    db,
    options.batches ?? readUsageBatches(file, options.batchSize ?? BATCH_SIZE),
    (await stat(file)).size,
    jobId,
    options.onProgress,
    options.inTurn,
  );
}

/**
 * Imports records already in our format's vocabulary (a provider export's parser's rows: objects
 * with the columns timestamp, agent, model, input_tokens, output_tokens, cache_read_tokens, …),
 * checked, de-duplicated and summed exactly as a usage file's lines are. A bad record's "line" is
 * its position from 1; the job's byte counts count records.
 */
export function importUsageRecords(
  db: SqliteDb,
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

/**
 * A job's progress as an import counts it: the totals, the first KEEP_BAD bad rows with their
 * reasons, and `row()`, both as the job's progress columns hold them.
 */
export function progressTally(bytesTotal: number) {
  const progress: ImportProgress = { bytesTotal, bytesDone: 0, rowsRead: 0, imported: 0, skipped: 0, bad: 0 };
  const badRows: BadRow[] = [];
  /** Every bad row counted per reason (up to KEEP_REASONS reasons; the rest under one), with the handle a "no agent" names. */
  const problems = new Map<string, { rows: number; agent: string | null }>();
  return {
    progress,
    rememberBad(line: number, reason: string, missingAgent?: string): void {
      progress.bad++;
      if (badRows.length < KEEP_BAD) badRows.push({ line, reason });
      const key = problems.has(reason) || problems.size < KEEP_REASONS ? reason : OTHER_PROBLEMS;
      const seen = problems.get(key);
      if (seen) seen.rows++;
      else problems.set(key, { rows: 1, agent: key === OTHER_PROBLEMS ? null : (missingAgent ?? null) });
    },
    row(): JobProgress {
      return {
        bytes_done: progress.bytesDone,
        rows_read: progress.rowsRead,
        imported: progress.imported,
        skipped: progress.skipped,
        bad: progress.bad,
        bad_rows: JSON.stringify(badRows),
        problems: JSON.stringify(
          [...problems].map(([reason, seen]) => ({ reason, ...seen })).sort((a, b) => b.rows - a.rows),
        ),
      };
    },
  };
}

/**
 * The tally, and `save()` to write it to job `jobId` inside the caller's transaction, which it
 * fails (undoing the transaction's writes) once the job no longer runs.
 */
export function jobProgress(db: Db, jobId: string, bytesTotal: number) {
  const jobs = createJobsRepo(db);
  const tally = progressTally(bytesTotal);
  return {
    ...tally,
    save: () => {
      if (!jobs.progress(jobId, tally.row())) throw new Error(JOB_NO_LONGER_RUNNING);
    },
  };
}

/** Why a batch was refused when a rollup's sum would pass what a 64-bit integer holds. */
export function sumOverflowError(batch: UsageBatch): Error {
  return new Error(
    `The usage of one agent and model in a month would pass ${INT64_MAX} tokens, more than can be ` +
      `summed; the rows from line ${batch.firstLine} on were not imported.`,
  );
}

async function importBatches(
  db: SqliteDb,
  batches: AsyncIterable<UsageBatch>,
  bytesTotal: number,
  jobId: string,
  onProgress?: (progress: ImportProgress) => void,
  inTurn: InTurn = atOnce,
): Promise<ImportProgress> {
  // The job's integer is a write like the batches': in a turn, so no call's transaction meets it.
  let job = 0;
  inTurn(() => {
    job = createJobsRepo(db).usageRef(jobId);
  });
  const writer = createBatchWriter(db, job);
  const { progress, rememberBad, save } = jobProgress(db, jobId, bytesTotal);
  // A sum past 2^63 becomes a REAL in SQLite, which the rollups' INTEGER columns refuse: the batch
  // is rolled back and the job stops, saying why, with the batches before it kept (and undoable).
  const writeRefusingOverflow = (batch: UsageBatch) => {
    try {
      return writer.write(batch, rememberBad);
    } catch (error) {
      if (!isIntegerOverflow(error)) throw error;
      throw sumOverflowError(batch);
    }
  };
  const commit = db
    .transaction((batch: UsageBatch) => {
      const { imported, skipped } = writeRefusingOverflow(batch);
      progress.imported += imported;
      progress.skipped += skipped;
      progress.rowsRead = batch.rowsRead;
      progress.bytesDone = batch.bytesRead;
      save();
    })
    .immediate.bind(null);

  const wal = walKeeper(db);
  for await (const batch of batches) {
    inTurn(() => {
      wal.look();
      commit(batch);
    });
    onProgress?.({ ...progress });
  }
  return progress;
}

import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import { importUsageFilePostgres } from './import-file-postgres';
import type { WorkerMessage, WorkerTask } from './import-runner';
import { BATCH_SIZE, type ImportOptions, importUsageFile } from './import-usage';
import { batchesFromThread, type ReaderTask, serveBatches } from './reader-thread';
import { importTurn } from './write-turns';

/** Into the SQLite file, on a connection of this thread's own. */
async function writeSqlite(file: string, task: WorkerTask, options: ImportOptions) {
  const db = openDatabase(file);
  // A bigger page cache keeps the rollups and the seen-rows index in memory during a large import,
  // and rarer checkpoints keep the WAL from being copied back after every few batches.
  db.pragma('cache_size = -131072');
  db.pragma('wal_autocheckpoint = 20000');
  // Each multi-row statement and seen-key savepoint keeps the pages it changes in a journal of its
  // own, to undo just that statement: on disk, that journal wrote more than the WAL itself (1.2 GB
  // for a 2M-row import). Held in memory, it costs a few MB. Durability is the WAL's: unchanged.
  db.pragma('temp_store = MEMORY');
  try {
    return await importUsageFile(db, task.file, task.jobId, options);
  } finally {
    db.close();
  }
}

/** One file, two threads of this script: the writer (started by the backend) starts the reader. */
async function write(task: WorkerTask): Promise<void> {
  const post = (message: WorkerMessage) => parentPort?.postMessage(message);
  const options: ImportOptions = {
    format: task.format,
    // Our format streams through a reader thread; provider exports stream through this one.
    batches:
      task.format === 'orgdeck' ? batchesFromThread(task.workerFile, task.file, BATCH_SIZE) : undefined,
    inTurn: task.writeTurns && importTurn.bind(null, task.writeTurns),
  };
  try {
    const progress =
      'postgres' in task.target
        ? await importUsageFilePostgres(task.target.postgres, task.file, task.jobId, options)
        : await writeSqlite(task.target.sqliteFile, task, options);
    post({ type: 'done', progress });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

const task = workerData as WorkerTask | ReaderTask;
if ('role' in task) await serveBatches(parentPort as MessagePort, task);
else await write(task);

import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import type { ImportTask, WorkerMessage } from './import-runner';
import { BATCH_SIZE, importUsageFile } from './import-usage';
import { batchesFromThread, type ReaderTask, serveBatches } from './reader-thread';

/** One file, two threads of this script: the writer (started by the backend) starts the reader. */
async function write(task: ImportTask & { workerFile: string }): Promise<void> {
  const post = (message: WorkerMessage) => parentPort?.postMessage(message);
  const db = openDatabase(task.dbFile);
  // A bigger page cache keeps the rollups and the seen-rows index in memory during a large import,
  // and rarer checkpoints keep the WAL from being copied back after every few batches.
  db.pragma('cache_size = -131072');
  db.pragma('wal_autocheckpoint = 20000');
  try {
    const progress = await importUsageFile(db, task.file, task.jobId, {
      format: task.format,
      // Our format streams through a reader thread; provider exports stream through this one.
      batches:
        task.format === 'orgdeck' ? batchesFromThread(task.workerFile, task.file, BATCH_SIZE) : undefined,
    });
    post({ type: 'done', progress });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    db.close();
  }
}

const task = workerData as (ImportTask & { workerFile: string }) | ReaderTask;
if ('role' in task) await serveBatches(parentPort as MessagePort, task);
else await write(task);

import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { UsageFormat } from '../../../shared/domain/usage-identity';
import type { SqliteDb } from '../store/database';
import { type ImportProgress, importUsageFile } from './import-usage';

export interface ImportTask {
  dbFile: string;
  file: string;
  jobId: string;
  format: UsageFormat;
}

/** Runs one usage import to its end; its progress is read from the job, which each batch updates. */
export type ImportRunner = (task: ImportTask) => Promise<ImportProgress>;

export type WorkerMessage = { type: 'done'; progress: ImportProgress } | { type: 'failed'; message: string };

/** In a worker thread with its own connection, so the main process never stalls on an import. */
export function workerRunner(workerFile: string | URL): ImportRunner {
  return (task) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerFile, {
        workerData: {
          ...task,
          workerFile: workerFile instanceof URL ? fileURLToPath(workerFile) : workerFile,
        },
      });
      let settled = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'done') {
          settled = true;
          resolve(message.progress);
        } else {
          settled = true;
          reject(new Error(message.message));
        }
      });
      worker.once('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.once('exit', (code) => {
        if (!settled) reject(new Error(`The import worker stopped (exit code ${code}).`));
      });
    });
}

/** On the caller's own connection: for tests and tools that have no built worker file. */
export function inlineRunner(db: SqliteDb): ImportRunner {
  return (task) => importUsageFile(db, task.file, task.jobId, { format: task.format });
}

import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { UsageFormat } from '../../../shared/domain/usage-identity';
import type { SqliteDb } from '../store/database';
import { importUsageFilePostgres, type PostgresTarget } from './import-file-postgres';
import { type ImportProgress, importUsageFile } from './import-usage';

export interface ImportTask {
  file: string;
  jobId: string;
  format: UsageFormat;
}

/** Where a worker writes an import: the store's SQLite file, or its PostgreSQL database. */
export type ImportTarget = { sqliteFile: string } | { postgres: PostgresTarget };

/** What the import worker is started with. */
export type WorkerTask = ImportTask & {
  target: ImportTarget;
  workerFile: string;
  /** Shared with the backend's connection (SQLite): see write-turns.ts. */
  writeTurns?: SharedArrayBuffer;
};

/** Runs one usage import to its end; its progress is read from the job, which each batch updates. */
export type ImportRunner = (task: ImportTask) => Promise<ImportProgress>;

export type WorkerMessage = { type: 'done'; progress: ImportProgress } | { type: 'failed'; message: string };

/**
 * In a worker thread with its own connection, so the main process never stalls on an import.
 * `targetOf` is asked as each import starts (on PostgreSQL, the orgs it may write into). On SQLite,
 * `writeTurns` is the buffer the backend's calls take turns at the write lock through.
 */
export function workerRunner(
  workerFile: string | URL,
  targetOf: () => Promise<ImportTarget>,
  writeTurns?: SharedArrayBuffer,
): ImportRunner {
  return async (task) => {
    const target = await targetOf();
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerFile, {
        workerData: {
          ...task,
          target,
          workerFile: workerFile instanceof URL ? fileURLToPath(workerFile) : workerFile,
          writeTurns,
        } satisfies WorkerTask,
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
  };
}

/** On the caller's own connection: for tests and tools that have no built worker file. */
export function inlineRunner(db: SqliteDb): ImportRunner {
  return (task) => importUsageFile(db, task.file, task.jobId, { format: task.format });
}

/** On a PostgreSQL connection of the import's own, on this thread: for tests and tools without the worker. */
export function inlinePostgresRunner(targetOf: () => Promise<PostgresTarget>): ImportRunner {
  return async (task) =>
    importUsageFilePostgres(await targetOf(), task.file, task.jobId, { format: task.format });
}

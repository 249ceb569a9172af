import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportJob } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { processAlive } from '../process-alive';
import type { Clock } from '../store/clock';
import type { JobRow } from '../store/repos/jobs-repo';
import type { Store } from '../store/store';
import type { ImportRunner } from '../usage/import-runner';
import type { ImportProgress } from '../usage/import-usage';
import type { AuditLog } from './audit-log';
import type { Principal } from './principal';
import type { UploadsService } from './uploads-service';

export function toJob(row: JobRow): ImportJob {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    status: row.status,
    bytesTotal: row.bytes_total,
    bytesDone: row.bytes_done,
    rowsRead: row.rows_read,
    imported: row.imported,
    skipped: row.skipped,
    bad: row.bad,
    badRows: JSON.parse(row.bad_rows) as ImportJob['badRows'],
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export interface UsageServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  dbFile: string;
  uploads: UploadsService;
  runner: ImportRunner;
}

/** Usage imports as background jobs, from a file on this machine or an upload. */
export function createUsageService({ store, clock, audit, dbFile, uploads, runner }: UsageServiceDeps) {
  const running = new Map<string, Promise<ImportJob>>();
  store.jobs.interruptOrphans(clock.now().toISOString(), processAlive);

  function job(id: string): ImportJob {
    const row = store.jobs.get(id);
    if (!row) throw new AppError('NOT_FOUND', 'No such import job.');
    return toJob(row);
  }

  function start(actor: Principal, file: string, fileName: string, size: number, cleanup?: () => void) {
    const id = randomUUID();
    store.jobs.insert({
      id,
      kind: 'usage',
      file_name: fileName,
      bytes_total: size,
      actor_label: actor.label,
      pid: process.pid,
      started_at: clock.now().toISOString(),
    });
    const finished = runner({ dbFile, file, jobId: id })
      .then(
        (progress: ImportProgress) => {
          store.transaction(() => {
            store.jobs.finish(id, 'done', null, clock.now().toISOString());
            audit.record(actor, {
              action: 'usage.imported',
              orgId: null,
              target: { type: 'import', id },
              summary: {
                after: {
                  file: fileName,
                  imported: progress.imported,
                  skipped: progress.skipped,
                  bad: progress.bad,
                },
              },
            });
          });
        },
        (error: unknown) => {
          store.jobs.finish(
            id,
            'failed',
            error instanceof Error ? error.message : String(error),
            clock.now().toISOString(),
          );
        },
      )
      .then(() => {
        cleanup?.();
        running.delete(id);
        return job(id);
      });
    running.set(id, finished);
    return { job: job(id), finished };
  }

  return {
    job,
    jobs: (): ImportJob[] => store.jobs.recent(50).map(toJob),
    /** Whether an import is running here or in another live process (the CLI, the console). */
    importsRunning(): boolean {
      store.jobs.interruptOrphans(clock.now().toISOString(), processAlive);
      return store.jobs.anyRunning();
    },

    /** The CLI's import of a file on this machine. */
    async importFile(actor: Principal, file: string) {
      const size = (await stat(file).catch(() => null))?.size;
      if (size === undefined) throw new AppError('NOT_FOUND', `Cannot read ${file}.`);
      return start(actor, file, basename(file), size);
    },

    importUpload(actor: Principal, uploadId: string): ImportJob {
      const upload = uploads.take(actor, uploadId);
      return start(actor, upload.path, upload.fileName, upload.size, () =>
        rmSync(upload.path, { force: true }),
      ).job;
    },
  };
}

export type UsageService = ReturnType<typeof createUsageService>;

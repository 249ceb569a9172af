import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportJob } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { BUCKET_FORMATS, type UsageFormat } from '../../../shared/domain/usage-identity';
import { BEAT_EVERY_MS, SILENT_FOR_MS, THIS_PROCESS } from '../import-job-owner';
import type { Logger } from '../logger';
import { processAlive } from '../process-alive';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { JobOwner, JobRow } from '../store/repos/jobs-repo';
import type { Store } from '../store/store';
import { detectFileFormat, UNKNOWN_FORMAT } from '../usage/formats/detect';
import { MAX_EXPORT_BYTES } from '../usage/import-provider-export';
import type { ImportRunner } from '../usage/import-runner';
import type { ImportProgress } from '../usage/import-usage';
import type { AuditLog } from './audit-log';
import type { Principal } from './principal';
import type { UploadsService } from './uploads-service';
import type { UsageRewrites } from './usage-rewrites';

/** An unmatched identity as the import stored it: each cache write lifetime on its own. */
type StoredUnmatched = Omit<ImportJob['unmatched'][number], 'cache_write_total_tokens'>;

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
    problems: JSON.parse(row.problems) as ImportJob['problems'],
    format: row.format,
    unmatched: (JSON.parse(row.unmatched) as StoredUnmatched[]).map((identity) => ({
      ...identity,
      cache_write_total_tokens: identity.cache_write_tokens + identity.cache_write_1h_tokens,
    })),
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    undoneAt: row.undone_at,
    undoing: row.undoing === 1,
  };
}

export interface UsageServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  /** Every org: an import's bookkeeping after its call has answered is the server's own work. */
  everyOrg: OrgScope;
  uploads: UploadsService;
  runner: ImportRunner;
  /** Undoes imports a write at a time; an import starts once no undo is taking keys it may read. */
  rewrites: UsageRewrites;
  /** Told after an import finished or was undone: budgets are checked against their alerts. */
  onUsageChanged?: () => Promise<void>;
  /** Where a beat that could not be written is told. */
  logger: Logger;
  /** The process the jobs started here are run by: this one (tests stand in for another machine's). */
  self?: JobOwner;
  /** How often it says its jobs still run (tests shorten it). */
  beatEveryMs?: number;
}

/** Usage imports as background jobs, from a file on this machine or an upload. */
export function createUsageService({
  store,
  clock,
  audit,
  everyOrg,
  uploads,
  runner,
  rewrites,
  onUsageChanged,
  logger,
  self = THIS_PROCESS,
  beatEveryMs = BEAT_EVERY_MS,
}: UsageServiceDeps) {
  const running = new Map<string, Promise<ImportJob>>();
  /**
   * While jobs run here, their beat: what tells servers on other machines sharing the database
   * that they still run, where their pid cannot. The next beat is set once one is written, so
   * beats waiting their turn on a busy connection never pile up; the chain ends with the jobs.
   */
  let beating = false;
  let closed = false;
  let nextBeat: NodeJS.Timeout | undefined;
  const beatLater = () => {
    nextBeat = setTimeout(() => {
      if (running.size === 0 || closed) {
        beating = false;
        return;
      }
      void store
        .asServer(everyOrg, () => {
          if (!closed) store.jobs.beat(self, clock.now().toISOString());
        })
        .catch((error: unknown) =>
          logger.error('import jobs not marked running', {
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(beatLater);
    }, beatEveryMs);
    nextBeat.unref();
  };
  const interruptOrphans = () => {
    const now = clock.now();
    const silentSince = new Date(now.getTime() - SILENT_FOR_MS).toISOString();
    store.jobs.interruptOrphans(self, now.toISOString(), silentSince, processAlive);
  };

  function job(id: string): ImportJob {
    const row = store.jobs.get(id);
    if (!row) throw new AppError('NOT_FOUND', 'No such import job.');
    return toJob(row);
  }

  /** The format named, or the one the file's content shows; VALIDATION when it shows none. */
  async function formatOf(file: string, size: number, named: UsageFormat | 'auto'): Promise<UsageFormat> {
    const found = named === 'auto' ? await detectFileFormat(file) : named;
    if (found === undefined) throw new AppError('VALIDATION', UNKNOWN_FORMAT);
    if (found !== 'orgdeck' && size > MAX_EXPORT_BYTES)
      throw new AppError(
        'VALIDATION',
        `A provider export is imported in one transaction, up to ${MAX_EXPORT_BYTES / 1024 / 1024} MiB: split this one by month or day.`,
      );
    return found;
  }

  function start(
    actor: Principal,
    file: string,
    fileName: string,
    size: number,
    format: UsageFormat,
    cleanup?: () => void,
  ) {
    const id = randomUUID();
    store.jobs.insert({
      id,
      kind: 'usage',
      file_name: fileName,
      format,
      bytes_total: size,
      actor_label: actor.label,
      host: self.host,
      pid: self.pid,
      run: self.run,
      started_at: clock.now().toISOString(),
    });
    const finished = runner({ file, jobId: id, format })
      .then(
        async (progress: ImportProgress) => {
          // Before the job reads as done, so whoever waits on it finds the budgets checked.
          await onUsageChanged?.();
          return store.asServer(everyOrg, () =>
            store.transaction(() => {
              store.jobs.finish(id, 'done', null, clock.now().toISOString());
              audit.record(actor, {
                action: 'usage.imported',
                orgId: null,
                target: { type: 'import', id },
                summary: {
                  after: {
                    file: fileName,
                    format,
                    imported: progress.imported,
                    skipped: progress.skipped,
                    bad: progress.bad,
                  },
                },
              });
            }),
          );
        },
        (error: unknown) =>
          store.asServer(everyOrg, () =>
            store.jobs.finish(
              id,
              'failed',
              error instanceof Error ? error.message : String(error),
              clock.now().toISOString(),
            ),
          ),
      )
      // Whether or not its end could be written: a job that stays running here beats no more.
      .finally(() => {
        cleanup?.();
        running.delete(id);
      })
      .then(() => store.asServer(everyOrg, () => job(id)));
    running.set(id, finished);
    if (!beating) {
      beating = true;
      beatLater();
    }
    return { job: job(id), finished };
  }

  return {
    job,
    jobs: (): ImportJob[] => store.jobs.recent(50).map(toJob),
    /** Marks the jobs of processes that ended mid-import as interrupted: the writer does it at start. */
    interruptOrphans,
    /** Whether an import is running here or in another live process (the CLI, the console, another server). */
    importsRunning(): boolean {
      interruptOrphans();
      return store.jobs.anyRunning();
    },
    /** Stops the beat: the backend is closing, and its jobs with it. */
    close(): void {
      closed = true;
      clearTimeout(nextBeat);
    },

    /**
     * Takes a finished (or stopped) import's rows back out of every rollup, a write at a time with
     * other calls answered between (UsageRewrites), and answers once it is undone. Meanwhile the
     * job shows `undoing`, and reports show each model's day with or without its rows, never a
     * month's sums apart from its days. A running import cannot be undone: its next batch would
     * land after the undo.
     */
    async undo(actor: Principal, id: string): Promise<ImportJob> {
      // A rollup write: a provider export's undo puts back the counts it replaced at once. Jobs cut
      // off are marked after its lock, as every rollup write orders its locks (BillingRevision).
      store.billingRevision.writeRollups(() => {
        interruptOrphans();
        const row = store.jobs.get(id);
        if (row?.kind !== 'usage') throw new AppError('NOT_FOUND', 'No such usage import.');
        if (row.undone_at !== null)
          throw new AppError('CONFLICT', `This import was already undone (${row.undone_at}).`);
        if (row.undoing === 1)
          throw new AppError('CONFLICT', 'This import is being undone; it shows as undone once it is.');
        if (row.status === 'running')
          throw new AppError('CONFLICT', 'This import is still running; undo it once it has finished.');
        const ref = store.jobs.findUsageRef(id);
        if (ref === undefined) {
          throw new AppError(
            'CONFLICT',
            'This import was made by an older version of Orgdeck, which did not record its rows, so it cannot be undone.',
          );
        }
        const bucketed = BUCKET_FORMATS.has(row.format);
        if (bucketed && !store.jobs.keepsReplacedBuckets(ref))
          throw new AppError(
            'CONFLICT',
            'This provider export was imported by an older version of Orgdeck, which did not keep the counts it replaced, so it cannot be undone; import a corrected export instead.',
          );
        store.usageUndos.begin({
          job: ref,
          actorId: actor.userId,
          actorLabel: actor.label,
          records: bucketed ? store.usage.undoBucketImport(ref) : 0,
        });
      });
      await rewrites.settled();
      await onUsageChanged?.();
      return job(id);
    },

    /**
     * The CLI's import of a file on this machine, in the format named or detected (`auto`): not a
     * router call, so the job starts as the server's own work.
     */
    async importFile(actor: Principal, file: string, format: UsageFormat | 'auto' = 'auto') {
      const size = (await stat(file).catch(() => null))?.size;
      if (size === undefined) throw new AppError('NOT_FOUND', `Cannot read ${file}.`);
      const found = await formatOf(file, size, format);
      return store.asServer(everyOrg, () =>
        rewrites.whenSettled(() => start(actor, file, basename(file), size, found)),
      );
    },

    async importUpload(actor: Principal, uploadId: string, format: UsageFormat | 'auto'): Promise<ImportJob> {
      const upload = uploads.take(actor, uploadId, 'usage');
      const remove = () => rmSync(upload.path, { force: true });
      const found = await formatOf(upload.path, upload.size, format).catch((error: unknown) => {
        remove();
        throw error;
      });
      return rewrites.whenSettled(
        () => start(actor, upload.path, upload.fileName, upload.size, found, remove).job,
      );
    },
  };
}

export type UsageService = ReturnType<typeof createUsageService>;

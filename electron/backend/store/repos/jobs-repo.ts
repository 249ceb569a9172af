import type { UsageFormat } from '../../../../shared/domain/usage-identity';
import { type Db, onPostgres } from '../engine';

export interface JobRow {
  id: string;
  kind: string;
  file_name: string;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  bytes_total: number;
  bytes_done: number;
  rows_read: number;
  imported: number;
  skipped: number;
  bad: number;
  bad_rows: string;
  /** JSON: the bad rows counted per reason ({ reason, rows, agent }), most rows first. */
  problems: string;
  format: UsageFormat;
  /** JSON: the identities no alias mapped, with their tokens. */
  unmatched: string;
  error: string | null;
  actor_label: string;
  /** The machine the job runs on (JobOwner), '' for jobs from before machines were named. */
  host: string;
  pid: number;
  /** The run of that process (JobOwner), '' for jobs from before runs were named. */
  run: string;
  started_at: string;
  /** When the process running it last said it still does. */
  beat_at: string | null;
  finished_at: string | null;
  undone_at: string | null;
  /** 1 while its undo is taking its rows out (usage_undos), else 0. */
  undoing: 0 | 1;
}

/**
 * The process running an import job: the machine (and process space) it runs on, its pid there,
 * and its run, a random id drawn as it started, so a later process given the same pid (a restarted
 * container's pid 1) is not taken for it.
 */
export interface JobOwner {
  host: string;
  pid: number;
  run: string;
}

/**
 * Why an import stops when its job no longer reads as running: another server took its process for
 * gone (unheard for too long) and marked it interrupted, so its later writes would land under a
 * month closed or an undo begun meanwhile.
 */
export const JOB_NO_LONGER_RUNNING =
  'Another server marked this import interrupted while it ran (it had not heard from this one): it stopped there, keeping what it had committed.';

/** A job with whether it is being undone. */
const JOB = `SELECT j.*, EXISTS (SELECT 1 FROM usage_undos u JOIN usage_jobs r ON r.id = u.job WHERE r.job_id = j.id)
  AS undoing FROM import_jobs j`;

type NewJob = Pick<
  JobRow,
  | 'id'
  | 'kind'
  | 'file_name'
  | 'format'
  | 'bytes_total'
  | 'actor_label'
  | 'host'
  | 'pid'
  | 'run'
  | 'started_at'
>;

export type JobProgress = Pick<
  JobRow,
  'bytes_done' | 'rows_read' | 'imported' | 'skipped' | 'bad' | 'bad_rows' | 'problems'
>;

export function createJobsRepo(db: Db) {
  // Rows another server's call has locked (it is interrupting them, or just did) are passed over,
  // not waited for: its call may run long, and this connection's calls would wait behind it.
  const unlessLocked = onPostgres(db) ? ' FOR UPDATE SKIP LOCKED' : '';
  const insert = db.prepare<NewJob>(
    `INSERT INTO import_jobs (id, kind, file_name, format, status, bytes_total, actor_label, host, pid, run,
       started_at, beat_at)
     VALUES (:id, :kind, :file_name, :format, 'running', :bytes_total, :actor_label, :host, :pid, :run,
       :started_at, :started_at)`,
  );
  const unmatched = db.prepare<{ id: string; unmatched: string }>(
    'UPDATE import_jobs SET unmatched = :unmatched WHERE id = :id',
  );
  const progress = db.prepare<JobProgress & { id: string }>(
    `UPDATE import_jobs SET bytes_done = :bytes_done, rows_read = :rows_read, imported = :imported,
       skipped = :skipped, bad = :bad, bad_rows = :bad_rows, problems = :problems
     WHERE id = :id AND status = 'running'`,
  );
  // A job marked interrupted stays so when it then fails (its next write found it so, and stopped),
  // with why; one whose every write was in before it was marked did finish.
  const finish = db.prepare<{ id: string; status: JobRow['status']; error: string | null; at: string }>(
    `UPDATE import_jobs SET error = :error,
       status = CASE WHEN status = 'running' OR :status = 'done' THEN :status ELSE status END,
       finished_at = CASE WHEN status = 'running' OR :status = 'done' THEN :at ELSE finished_at END
     WHERE id = :id`,
  );
  const byId = db.prepare<{ id: string }, JobRow>(`${JOB} WHERE j.id = :id`);
  const recent = db.prepare<{ limit: number }, JobRow>(`${JOB} ORDER BY j.started_at DESC LIMIT :limit`);
  const runningOn = db.prepare<{ host: string }, JobOwner>(
    "SELECT DISTINCT host, pid, run FROM import_jobs WHERE status = 'running' AND host IN (:host, '')",
  );
  const beat = db.prepare<JobOwner & { at: string }>(
    `UPDATE import_jobs SET beat_at = :at WHERE id IN (SELECT id FROM import_jobs
       WHERE status = 'running' AND host = :host AND pid = :pid AND run = :run${unlessLocked})`,
  );
  const anyRunning = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM import_jobs WHERE status = 'running'",
  );
  const addUsageRef = db.prepare<{ id: string }>('INSERT OR IGNORE INTO usage_jobs (job_id) VALUES (:id)');
  const usageRef = db.prepare<{ id: string }, number>('SELECT id FROM usage_jobs WHERE job_id = :id').pluck();
  const keepsReplacedBuckets = db
    .prepare<{ ref: number }, number>('SELECT keeps_replaced_buckets FROM usage_jobs WHERE id = :ref')
    .pluck();
  const undone = db.prepare<{ id: string; at: string }>(
    'UPDATE import_jobs SET undone_at = :at WHERE id = :id AND undone_at IS NULL',
  );
  const interruptProcess = db.prepare<JobOwner & { at: string }>(
    `UPDATE import_jobs SET status = 'interrupted', finished_at = :at WHERE id IN (SELECT id FROM import_jobs
       WHERE status = 'running' AND host = :host AND pid = :pid AND run = :run${unlessLocked})`,
  );
  const interruptAll = db.prepare<{ at: string }>(
    "UPDATE import_jobs SET status = 'interrupted', finished_at = :at WHERE status = 'running'",
  );
  // In the statement that interrupts, so a beat written since the caller last looked keeps its job.
  const interruptSilent = db.prepare<{ host: string; silentSince: string; at: string }>(
    `UPDATE import_jobs SET status = 'interrupted', finished_at = :at WHERE id IN (SELECT id FROM import_jobs
       WHERE status = 'running' AND host NOT IN (:host, '') AND (beat_at IS NULL OR beat_at < :silentSince)${unlessLocked})`,
  );
  return {
    insert: (row: NewJob) => void insert.run(row),
    /** Writes a running job's progress; false when it no longer runs (JOB_NO_LONGER_RUNNING). */
    progress: (id: string, row: JobProgress): boolean => progress.run({ ...row, id }).changes > 0,
    unmatched: (id: string, json: string) => void unmatched.run({ id, unmatched: json }),
    finish: (id: string, status: JobRow['status'], error: string | null, at: string) =>
      void finish.run({ id, status, error, at }),
    get: (id: string) => byId.get({ id }),
    recent: (limit: number) => recent.all({ limit }),
    anyRunning: () => (anyRunning.get()?.n ?? 0) > 0,
    /** The integer usage rows name the job by, given one first if it has none. */
    usageRef(id: string): number {
      addUsageRef.run({ id });
      return usageRef.get({ id }) as number;
    },
    /** The job's integer, or undefined for a job that recorded none (imported by an older version). */
    findUsageRef: (id: string): number | undefined => usageRef.get({ id }),
    /** Whether the job kept the bucket counts it replaced (jobs since schema version 15 do). */
    keepsReplacedBuckets: (ref: number): boolean => keepsReplacedBuckets.get({ ref }) === 1,
    markUndone: (id: string, at: string) => void undone.run({ id, at }),
    /** The process running jobs says it still does. */
    beat: (owner: JobOwner, at: string) => void beat.run({ ...owner, at }),
    /** Every job running reads as interrupted: a restored store's, which none runs on. */
    interruptAll: (at: string) => void interruptAll.run({ at }),
    /**
     * Jobs whose process is gone were cut off by its end; what they committed stays. On `self`'s
     * machine a pid tells at once (`processAlive`; `self`'s own pid in another run is a process
     * gone), as it does for jobs that name no machine, written when a store had one; on another,
     * only beats can: a job unheard since `silentSince` is taken for cut off.
     */
    interruptOrphans(
      self: JobOwner,
      at: string,
      silentSince: string,
      processAlive: (pid: number) => boolean,
    ): void {
      for (const owner of runningOn.all({ host: self.host })) {
        const gone = owner.pid === self.pid ? owner.run !== self.run : !processAlive(owner.pid);
        if (gone) interruptProcess.run({ ...owner, at });
      }
      interruptSilent.run({ host: self.host, silentSince, at });
    },
  };
}

export type JobsRepo = ReturnType<typeof createJobsRepo>;

import type { UsageFormat } from '../../../../shared/domain/usage-identity';
import type { Db } from '../engine';

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
  started_at: string;
  /** When the process running it last said it still does. */
  beat_at: string | null;
  finished_at: string | null;
  undone_at: string | null;
  /** 1 while its undo is taking its rows out (usage_undos), else 0. */
  undoing: 0 | 1;
}

/** The process running an import job: the machine (and process space) it runs on, and its pid there. */
export interface JobOwner {
  host: string;
  pid: number;
}

/** A process with running jobs, and the last time it said it still ran them. */
export interface RunningJobsOwner extends JobOwner {
  beat_at: string | null;
}

/** A job with whether it is being undone. */
const JOB = `SELECT j.*, EXISTS (SELECT 1 FROM usage_undos u JOIN usage_jobs r ON r.id = u.job WHERE r.job_id = j.id)
  AS undoing FROM import_jobs j`;

type NewJob = Pick<
  JobRow,
  'id' | 'kind' | 'file_name' | 'format' | 'bytes_total' | 'actor_label' | 'host' | 'pid' | 'started_at'
>;

export type JobProgress = Pick<
  JobRow,
  'bytes_done' | 'rows_read' | 'imported' | 'skipped' | 'bad' | 'bad_rows' | 'problems'
>;

export function createJobsRepo(db: Db) {
  const insert = db.prepare<NewJob>(
    `INSERT INTO import_jobs (id, kind, file_name, format, status, bytes_total, actor_label, host, pid, started_at, beat_at)
     VALUES (:id, :kind, :file_name, :format, 'running', :bytes_total, :actor_label, :host, :pid, :started_at, :started_at)`,
  );
  const unmatched = db.prepare<{ id: string; unmatched: string }>(
    'UPDATE import_jobs SET unmatched = :unmatched WHERE id = :id',
  );
  const progress = db.prepare<JobProgress & { id: string }>(
    `UPDATE import_jobs SET bytes_done = :bytes_done, rows_read = :rows_read, imported = :imported,
       skipped = :skipped, bad = :bad, bad_rows = :bad_rows, problems = :problems WHERE id = :id`,
  );
  const finish = db.prepare<{ id: string; status: JobRow['status']; error: string | null; at: string }>(
    'UPDATE import_jobs SET status = :status, error = :error, finished_at = :at WHERE id = :id',
  );
  const byId = db.prepare<{ id: string }, JobRow>(`${JOB} WHERE j.id = :id`);
  const recent = db.prepare<{ limit: number }, JobRow>(`${JOB} ORDER BY j.started_at DESC LIMIT :limit`);
  const runningOwners = db.prepare<[], RunningJobsOwner>(
    "SELECT host, pid, max(beat_at) AS beat_at FROM import_jobs WHERE status = 'running' GROUP BY host, pid",
  );
  const beat = db.prepare<JobOwner & { at: string }>(
    "UPDATE import_jobs SET beat_at = :at WHERE status = 'running' AND host = :host AND pid = :pid",
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
  const interrupt = db.prepare<JobOwner & { at: string }>(
    "UPDATE import_jobs SET status = 'interrupted', finished_at = :at WHERE status = 'running' AND host = :host AND pid = :pid",
  );
  return {
    insert: (row: NewJob) => void insert.run(row),
    progress: (id: string, row: JobProgress) => void progress.run({ ...row, id }),
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
    beat: (owner: JobOwner, at: string) => void beat.run({ host: owner.host, pid: owner.pid, at }),
    /** Jobs whose process is gone were cut off by its end; what they committed stays. */
    interruptOrphans(at: string, isAlive: (owner: RunningJobsOwner) => boolean): void {
      for (const owner of runningOwners.all())
        if (!isAlive(owner)) interrupt.run({ host: owner.host, pid: owner.pid, at });
    },
  };
}

export type JobsRepo = ReturnType<typeof createJobsRepo>;

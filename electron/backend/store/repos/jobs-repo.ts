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
  pid: number;
  started_at: string;
  finished_at: string | null;
  undone_at: string | null;
  /** 1 while its undo is taking its rows out (usage_undos), else 0. */
  undoing: 0 | 1;
}

/** A job with whether it is being undone. */
const JOB = `SELECT j.*, EXISTS (SELECT 1 FROM usage_undos u JOIN usage_jobs r ON r.id = u.job WHERE r.job_id = j.id)
  AS undoing FROM import_jobs j`;

type NewJob = Pick<
  JobRow,
  'id' | 'kind' | 'file_name' | 'format' | 'bytes_total' | 'actor_label' | 'pid' | 'started_at'
>;

export type JobProgress = Pick<
  JobRow,
  'bytes_done' | 'rows_read' | 'imported' | 'skipped' | 'bad' | 'bad_rows' | 'problems'
>;

export function createJobsRepo(db: Db) {
  const insert = db.prepare<NewJob>(
    `INSERT INTO import_jobs (id, kind, file_name, format, status, bytes_total, actor_label, pid, started_at)
     VALUES (:id, :kind, :file_name, :format, 'running', :bytes_total, :actor_label, :pid, :started_at)`,
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
  const runningPids = db.prepare<[], { pid: number }>(
    "SELECT DISTINCT pid FROM import_jobs WHERE status = 'running'",
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
  const interrupt = db.prepare<{ pid: number; at: string }>(
    "UPDATE import_jobs SET status = 'interrupted', finished_at = :at WHERE status = 'running' AND pid = :pid",
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
    /** Jobs whose process is gone were cut off by its end; what they committed stays. */
    interruptOrphans(at: string, isAlive: (pid: number) => boolean): void {
      for (const { pid } of runningPids.all()) if (!isAlive(pid)) interrupt.run({ pid, at });
    },
  };
}

export type JobsRepo = ReturnType<typeof createJobsRepo>;

import type { PostgresMigration } from '../migrate';

/**
 * Servers sharing the database run imports on several machines, where a job's pid says nothing:
 * `host` names the machine (and its process space), `run` the process's run (a pid taken again is
 * another run), `beat_at` when the job's process last said it still runs it (SQLite's migration 30; how each is judged: JobsRepo.interruptOrphans). A job still
 * running here was started by a server of an older version, on a machine no one can name, which
 * writes no beats: it reads as interrupted once a server looks (what it committed stays). Servers
 * are stopped before `orgdeck migrate`, as `serve` refuses a database of another version.
 */
export const importJobHosts: PostgresMigration = {
  version: 18,
  name: 'An import job names the machine it runs on, and when that machine last said it still runs it',
  sql: `
    ALTER TABLE import_jobs ADD COLUMN host text NOT NULL DEFAULT '';
    ALTER TABLE import_jobs ADD COLUMN run text NOT NULL DEFAULT '';
    ALTER TABLE import_jobs ADD COLUMN beat_at text;
    UPDATE import_jobs SET host = 'a server before version 18' WHERE status = 'running';
  `,
};

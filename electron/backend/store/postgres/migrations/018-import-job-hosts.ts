import type { PostgresMigration } from '../migrate';

/**
 * Servers sharing the database run imports on several machines, where a job's pid says nothing:
 * `host` names the machine (and its process space) a job runs on, `beat_at` when its process last
 * said it was still running it (SQLite's migration 30). Jobs before have no host: they are judged
 * by pid, as before.
 */
export const importJobHosts: PostgresMigration = {
  version: 18,
  name: 'An import job names the machine it runs on, and when that machine last said it still runs it',
  sql: `
    ALTER TABLE import_jobs ADD COLUMN host text NOT NULL DEFAULT '';
    ALTER TABLE import_jobs ADD COLUMN beat_at text;
  `,
};

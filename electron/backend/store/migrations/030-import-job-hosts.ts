import type { Migration } from '../migrate';

export const importJobHosts: Migration = {
  version: 30,
  name: 'an import job names the machine it runs on, and when that machine last said it still runs it',
  sql: `
    -- Servers sharing a database run imports on several machines, where a job's pid says nothing:
    -- host names the machine (and its process space) the job runs on, and beat_at is when its
    -- process last said it was still running it. Jobs before have no host: the machine that reads
    -- them is the one that ran them, as when a store had one machine.
    ALTER TABLE import_jobs ADD COLUMN host TEXT NOT NULL DEFAULT '';
    ALTER TABLE import_jobs ADD COLUMN beat_at TEXT;
  `,
};

import type { Migration } from '../migrate';

export const importJobHosts: Migration = {
  version: 30,
  name: 'an import job names the machine it runs on, and when that machine last said it still runs it',
  sql: `
    -- Servers sharing a database run imports on several machines, where a job's pid says nothing:
    -- host names the machine (and its process space), run the process's run (a pid taken again is
    -- another run), beat_at is when the job's process last said it still runs it (how each is
    -- judged: JobsRepo.interruptOrphans). Jobs before name none.
    ALTER TABLE import_jobs ADD COLUMN host TEXT NOT NULL DEFAULT '';
    ALTER TABLE import_jobs ADD COLUMN run TEXT NOT NULL DEFAULT '';
    ALTER TABLE import_jobs ADD COLUMN beat_at TEXT;
  `,
};

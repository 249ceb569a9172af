import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { THIS_PROCESS } from '../../../electron/backend/import-job-owner';
import { processAlive } from '../../../electron/backend/process-alive';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { importJobHosts } from '../../../electron/backend/store/migrations/030-import-job-hosts';
import { createJobsRepo } from '../../../electron/backend/store/repos/jobs-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = importJobHosts.version;
const AT = '2026-04-10T08:00:00.000Z';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-import-job-hosts-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

/** A job as versions before wrote it: a pid, no machine. */
function addOldJob(id: string, pid: number) {
  db.prepare(
    `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, pid, started_at)
     VALUES (?, 'usage', 'old.csv', 'running', 10, 'someone', ?, ?)`,
  ).run(id, pid, AT);
}
const statusOf = (id: string) => db.prepare('SELECT status FROM import_jobs WHERE id = ?').pluck().get(id);

describe(`migration ${VERSION} (${importJobHosts.name})`, () => {
  it('from an empty file: a job names its machine and beats from its start', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    createJobsRepo(db).insert({
      id: 'new',
      kind: 'usage',
      file_name: 'new.csv',
      format: 'orgdeck',
      bytes_total: 10,
      actor_label: 'someone',
      ...THIS_PROCESS,
      started_at: AT,
    });
    expect(db.prepare('SELECT host, pid, run, beat_at FROM import_jobs').get()).toEqual({
      ...THIS_PROCESS,
      beat_at: AT,
    });
  });

  it(`from version ${VERSION - 1}: running jobs name no machine and are judged by their pid here, as before`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    addOldJob('gone', spawnSync(process.execPath, ['-e', '']).pid as number);
    addOldJob('alive', process.ppid);
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT id, host, beat_at FROM import_jobs ORDER BY id').all()).toEqual([
      { id: 'alive', host: '', beat_at: null },
      { id: 'gone', host: '', beat_at: null },
    ]);
    createJobsRepo(db).interruptOrphans(THIS_PROCESS, AT, AT, processAlive);
    expect(statusOf('gone')).toBe('interrupted');
    expect(statusOf('alive')).toBe('running');
  });
});

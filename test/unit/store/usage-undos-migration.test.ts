import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { usageUndos } from '../../../electron/backend/store/migrations/022-usage-undos';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = usageUndos.version;
const JOB = '00000000-0000-4000-8000-0000000000f1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-usage-undos-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const addJob = () =>
  db.exec(`INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, imported, actor_label, pid, started_at)
    VALUES ('${JOB}', 'usage', 'usage.csv', 'done', 100, 1, 'owner', 1, '2026-01-01T00:00:00.000Z');
    INSERT INTO usage_jobs (id, job_id) VALUES (7, '${JOB}');`);
const beginUndo = () =>
  db
    .prepare(
      "INSERT INTO usage_undos (job, actor_id, actor_label, records, seen_from) VALUES (7, NULL, 'owner', 0, -9223372036854775808)",
    )
    .run();
/** Whether the job reads as being undone, as the jobs repository asks it (its JOB query). */
const undoing = () =>
  db
    .prepare(
      'SELECT EXISTS (SELECT 1 FROM usage_undos u JOIN usage_jobs r ON r.id = u.job WHERE r.job_id = ?) AS undoing',
    )
    .pluck()
    .get(JOB);

describe(`migration ${VERSION} (${usageUndos.name})`, () => {
  it('from an empty file: no import is being undone until an undo begins', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    addJob();
    expect(undoing()).toBe(0);
    beginUndo();
    expect(undoing()).toBe(1);
  });

  it(`from version ${VERSION - 1}: its imports stay as they were, none being undone`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    addJob();
    const before = db.prepare('SELECT * FROM import_jobs').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM import_jobs').all()).toEqual(before);
    expect(undoing()).toBe(0);
    beginUndo();
    expect(undoing()).toBe(1);
  });
});

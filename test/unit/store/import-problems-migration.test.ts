import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { importProblems } from '../../../electron/backend/store/migrations/019-import-problems';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = importProblems.version;
const T = '2026-01-01T00:00:00.000Z';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-import-problems-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const job = (id: string, badRows: { line: number; reason: string }[]) =>
  db
    .prepare(
      `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, imported, bad, bad_rows, actor_label, pid, started_at)
       VALUES (?, 'usage', 'usage.csv', 'done', 10, 0, ?, ?, 'owner', 1, ?)`,
    )
    .run(id, badRows.length, JSON.stringify(badRows), T);

describe(`migration ${VERSION} (${importProblems.name})`, () => {
  it('from an empty file: a new job has no problems', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    job('j1', []);
    expect(db.prepare('SELECT problems FROM import_jobs').pluck().get()).toBe('[]');
  });

  it(`from version ${VERSION - 1} with data: earlier jobs' kept bad rows are counted per reason`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    job('clean', []);
    job('messy', [
      { line: 2, reason: 'no agent with the handle "legacy-helpdesk"' },
      { line: 3, reason: 'input_tokens is not a whole number' },
      { line: 4, reason: 'no agent with the handle "legacy-helpdesk"' },
    ]);
    const before = db.prepare('SELECT id, bad_rows, bad FROM import_jobs ORDER BY id').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT id, bad_rows, bad FROM import_jobs ORDER BY id').all()).toEqual(before);
    const problems = (id: string) =>
      JSON.parse(db.prepare('SELECT problems FROM import_jobs WHERE id = ?').pluck().get(id) as string);
    expect(problems('clean')).toEqual([]);
    expect(problems('messy')).toEqual([
      { reason: 'no agent with the handle "legacy-helpdesk"', rows: 2, agent: 'legacy-helpdesk' },
      { reason: 'input_tokens is not a whole number', rows: 1, agent: null },
    ]);
  });
});

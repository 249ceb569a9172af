import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { resumSwapCursor } from '../../../electron/backend/store/migrations/029-resum-swap-cursor';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = resumSwapCursor.version;
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-resum-swap-cursor-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const pending = () =>
  db.prepare('SELECT model, month, next_day, next_row, last_row, next_org FROM usage_month_resums').all();
/** A re-sum begun, with one day's sums, as a re-pricing from mid-March 2025 leaves it. */
function addPending() {
  const { lastInsertRowid } = db
    .prepare(
      'INSERT INTO usage_month_resums (model, month, next_day, next_row, last_row) VALUES (1, 202503, 20148, 7, 40)',
    )
    .run();
  db.prepare(
    `INSERT INTO usage_month_resum_sums (resum, org, agent, price, tier, band, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
     VALUES (?, 2, 3, 4, 0, 0, 10, 20, 0, 0, 0, 0, 1)`,
  ).run(lastInsertRowid);
}
const resumed = { model: 1, month: 202503, next_day: 20148, next_row: 7, last_row: 40 };

describe(`migration ${VERSION} (${resumSwapCursor.name})`, () => {
  it('from an empty file: a re-sum begins with no org put in place', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    addPending();
    expect(pending()).toEqual([{ ...resumed, next_org: 0 }]);
  });

  it(`from version ${VERSION - 1}: a re-sum part-way keeps where it was and its sums, with no org put in place`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    addPending();
    const sums = db.prepare('SELECT * FROM usage_month_resum_sums').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(pending()).toEqual([{ ...resumed, next_org: 0 }]);
    expect(db.prepare('SELECT * FROM usage_month_resum_sums').all()).toEqual(sums);
  });
});

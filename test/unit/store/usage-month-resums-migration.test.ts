import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { usageMonthResums } from '../../../electron/backend/store/migrations/025-usage-month-resums';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = usageMonthResums.version;
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-usage-month-resums-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const pending = () => db.prepare('SELECT model, month, next_day, last_row FROM usage_month_resums').all();
const sums = () =>
  db.prepare('SELECT resum, org, agent, price, input_tokens FROM usage_month_resum_sums').all();
/** A re-sum begun, with one day's sums, as a re-pricing from mid-March 2025 leaves it. */
function addPending() {
  const { lastInsertRowid } = db
    .prepare(
      'INSERT INTO usage_month_resums (model, month, next_day, last_row) VALUES (1, 202503, 20148, 40)',
    )
    .run();
  db.prepare(
    `INSERT INTO usage_month_resum_sums (resum, org, agent, price, tier, band, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
     VALUES (?, 2, 3, 4, 0, 0, 10, 20, 0, 0, 0, 0, 1)`,
  ).run(lastInsertRowid);
}

describe(`migration ${VERSION} (${usageMonthResums.name})`, () => {
  it('from an empty file: nothing is pending, a re-sum keeps its sums, and they go with it', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    expect(pending()).toEqual([]);
    addPending();
    expect(pending()).toEqual([{ model: 1, month: 202503, next_day: 20148, last_row: 40 }]);
    expect(sums()).toEqual([{ resum: 1, org: 2, agent: 3, price: 4, input_tokens: 10 }]);
    db.prepare('DELETE FROM usage_month_resums').run();
    expect(sums()).toEqual([]);
  });

  it(`from version ${VERSION - 1}: the usage sums stay as they were, and nothing is pending`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    db.prepare(
      `INSERT INTO usage_months (month, org, agent, model, price, tier, band, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
       VALUES (202503, 1, 2, 3, 0, 0, 0, 10, 20, 0, 0, 0, 0, 1)`,
    ).run();
    const before = db.prepare('SELECT * FROM usage_months').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM usage_months').all()).toEqual(before);
    expect(pending()).toEqual([]);
    addPending();
    expect(pending()).toHaveLength(1);
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { usageRelabels } from '../../../electron/backend/store/migrations/021-usage-relabels';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = usageRelabels.version;
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-usage-relabels-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const pending = () =>
  db.prepare('SELECT model, next_month, to_month, old_price, new_price FROM usage_relabels').all();
const addPending = () =>
  db
    .prepare(
      'INSERT INTO usage_relabels (model, next_month, to_month, old_price, new_price) VALUES (1, 202503, 999912, 1, 2)',
    )
    .run();

describe(`migration ${VERSION} (${usageRelabels.name})`, () => {
  it('from an empty file: nothing is pending, and a re-pricing can leave months to move', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    expect(pending()).toEqual([]);
    addPending();
    expect(pending()).toEqual([
      { model: 1, next_month: 202503, to_month: 999912, old_price: 1, new_price: 2 },
    ]);
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

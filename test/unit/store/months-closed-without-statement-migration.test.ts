import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { monthsClosedWithoutStatement } from '../../../electron/backend/store/migrations/028-months-closed-without-statement';
import { createStatementsRepo } from '../../../electron/backend/store/repos/statements-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = monthsClosedWithoutStatement.version;
const ORG = '00000000-0000-4000-8000-0000000000c1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-months-closed-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

describe(`migration ${VERSION} (${monthsClosedWithoutStatement.name})`, () => {
  it('from an empty file: the table is there, STRICT, and empty', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    expect(
      db
        .prepare('SELECT strict FROM pragma_table_list WHERE name = ?')
        .get('months_closed_without_statement'),
    ).toEqual({
      strict: 1,
    });
    expect(db.prepare('SELECT count(*) FROM months_closed_without_statement').pluck().get()).toBe(0);
  });

  it(`from version ${VERSION - 1} with an org: a month closed for it is kept, and goes with the org`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    db.exec(`
      INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, billing_mode, contact_name, contact_email,
                        description, budget_micros, active, deleted_at, created_at, updated_at)
      VALUES ('${ORG}', 'acme', 'Acme', 0, 'UTC', 30000000, 'prorated', '', '', '', NULL, 1, NULL,
              '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    `);
    migrate(db, MIGRATIONS, VERSION);
    // Today's repository reads today's tables: the rest of the way up, then use it.
    migrate(db, MIGRATIONS);
    const statements = createStatementsRepo(db);
    statements.closeWithout(ORG, '2026-10', '2026-11-02T08:00:00.000Z');
    expect(statements.closedWithout(ORG, '2026-10')).toEqual({
      month: '2026-10',
      closed_at: '2026-11-02T08:00:00.000Z',
    });
    expect(statements.orgsWithClosedMonths()).toEqual([ORG]);
    // Closed once: a second close of the same month is refused by the store as well.
    expect(() => statements.closeWithout(ORG, '2026-10', '2026-11-03T08:00:00.000Z')).toThrow(/UNIQUE/);
    db.exec(`DELETE FROM orgs WHERE id = '${ORG}'`);
    expect(statements.closedMonthsOfOrg(ORG)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { monthsClosedWithoutStatement } from '../../../electron/backend/store/migrations/028-months-closed-without-statement';
import { createStatementsRepo } from '../../../electron/backend/store/repos/statements-repo';
import { insertOrg, storesAtVersion } from '../../fixtures/migration-stores';

const VERSION = monthsClosedWithoutStatement.version;
const ORG = '00000000-0000-4000-8000-0000000000c1';
const storeAt = storesAtVersion('orgdeck-months-closed-');

describe(`migration ${VERSION} (${monthsClosedWithoutStatement.name})`, () => {
  it('from an empty file: the table is there, STRICT, and empty', () => {
    const db = storeAt('empty.db', VERSION);
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
    const db = storeAt('old.db', VERSION - 1);
    insertOrg(db, ORG);
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

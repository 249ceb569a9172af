import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { monthsClosedAtSource } from '../../../electron/backend/store/migrations/031-months-closed-at-source';
import { createStatementsRepo } from '../../../electron/backend/store/repos/statements-repo';
import { createTransferRepo } from '../../../electron/backend/store/repos/transfer-repo';
import { insertOrg, storesAtVersion } from '../../fixtures/migration-stores';

const VERSION = monthsClosedAtSource.version;
const ORG = '00000000-0000-4000-8000-0000000000c1';
const storeAt = storesAtVersion('orgdeck-months-closed-at-source-');

describe(`migration ${VERSION} (${monthsClosedAtSource.name})`, () => {
  it('from an empty file: the table is there, STRICT, and empty', () => {
    const db = storeAt('empty.db', VERSION);
    expect(schemaVersion(db)).toBe(VERSION);
    expect(
      db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get('months_closed_at_source'),
    ).toEqual({ strict: 1 });
    expect(db.prepare('SELECT count(*) FROM months_closed_at_source').pluck().get()).toBe(0);
  });

  it(`from version ${VERSION - 1} with an org: a month its source closed is kept once, and goes with the org`, () => {
    const db = storeAt('old.db', VERSION - 1);
    insertOrg(db, ORG);
    migrate(db, MIGRATIONS, VERSION);
    const transfer = createTransferRepo(db);
    const closed = {
      org_id: ORG,
      month: '2026-10',
      closed_at: '2026-11-02T08:00:00.000Z',
      statement_number: '2026-0042',
    };
    transfer.insertClosedMonth(closed);
    expect(createStatementsRepo(db).closedAtSource(ORG, '2026-10')).toEqual({
      closed_at: '2026-11-02T08:00:00.000Z',
      statement_number: '2026-0042',
    });
    expect(() => transfer.insertClosedMonth({ ...closed, statement_number: null })).toThrow(/UNIQUE/);
    db.exec(`DELETE FROM orgs WHERE id = '${ORG}'`);
    expect(createStatementsRepo(db).closedAtSource(ORG, '2026-10')).toBeUndefined();
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { budgetAlerts } from '../../../electron/backend/store/migrations/018-budget-alerts';
import { createBudgetAlertsRepo } from '../../../electron/backend/store/repos/budget-alerts-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = budgetAlerts.version;
const ORG = '00000000-0000-4000-8000-0000000000b1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-budget-alerts-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

function orgAt(db: SqliteDb): void {
  db.exec(`
    INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, billing_mode, contact_name, contact_email,
                      description, budget_micros, active, deleted_at, created_at, updated_at)
    VALUES ('${ORG}', 'acme', 'Acme', 0, 'UTC', 30000000, 'prorated', '', '', '', 10000000, 1, NULL,
            '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  `);
}

describe(`migration ${VERSION} (${budgetAlerts.name})`, () => {
  it('from an empty file: the tables are there, STRICT', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    for (const table of ['budget_alerts', 'webhook_deliveries'])
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table)).toEqual({
        strict: 1,
      });
  });

  it(`from version ${VERSION - 1} with data: orgs keep their fields and get the default thresholds; alerts go with their org`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    orgAt(db);
    const before = db.prepare('SELECT * FROM orgs').get() as Record<string, unknown>;
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM orgs').get()).toEqual({ ...before, alert_thresholds: '[80,100]' });

    const alerts = createBudgetAlertsRepo(db);
    const raise = () =>
      alerts.raise({
        org_id: ORG,
        month: '2026-12',
        threshold: 80,
        kind: 'actual',
        budget_use: '0.85',
        reached_on: null,
        raised_at: '2026-12-03T12:00:00.000Z',
      });
    const id = raise();
    if (id === undefined) throw new Error('A first alert is raised.');
    expect(alerts.resolve(id, '0.75', '2026-12-03T13:00:00.000Z')).toBe(true);
    expect(alerts.resolve(id, '0.75', '2026-12-03T13:00:00.000Z')).toBe(false);
    // Raised again: the same row, open again; while open, it is not raised again.
    expect(raise()).toBe(id);
    expect(raise()).toBeUndefined();
    expect(alerts.ofMonth('2026-12')).toMatchObject([{ id, resolved_at: null, budget_use: '0.85' }]);
    alerts.enqueueDelivery({
      org_id: ORG,
      alert_id: id,
      event: 'raised',
      url: 'https://hooks.example/',
      body: '{}',
      created_at: '2026-12-03T12:00:00.000Z',
    });
    expect(() => db.prepare("UPDATE budget_alerts SET kind = 'guess' WHERE id = ?").run(id)).toThrow(
      /CHECK constraint/,
    );
    db.prepare('DELETE FROM orgs WHERE id = ?').run(ORG);
    expect(
      db
        .prepare(
          'SELECT (SELECT count(*) FROM budget_alerts) + (SELECT count(*) FROM webhook_deliveries) AS n',
        )
        .get(),
    ).toEqual({ n: 0 });
  });
});

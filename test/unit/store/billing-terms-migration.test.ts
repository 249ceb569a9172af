import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { billingTermsHistory } from '../../../electron/backend/store/migrations/016-billing-terms-history';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = billingTermsHistory.version;
const ORG = '00000000-0000-4000-8000-0000000000b1';
const AGENT = '00000000-0000-4000-8000-0000000000c1';
const AT = '2026-01-01T00:00:00.000Z';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-billing-terms-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const revision = () => db.prepare('SELECT n FROM billing_revision').pluck().get() as number;

describe(`migration ${VERSION} (${billingTermsHistory.name})`, () => {
  it('from an empty file: the three tables are there, STRICT', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    for (const table of ['org_terms', 'agent_rates', 'org_model_markups'])
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table), table).toEqual({
        strict: 1,
      });
  });

  it(`from version ${VERSION - 1} with data: existing rates stay as they were, changes follow their org and agent`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    db.exec(`
      INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, billing_mode, contact_name, contact_email,
                        description, budget_micros, active, deleted_at, created_at, updated_at)
      VALUES ('${ORG}', 'acme', 'Acme', 0, 'UTC', 40000000, 'full_month', '', '', '', NULL, 1, NULL, '${AT}', '${AT}');
      INSERT INTO agents (id, handle, name, email, model, status, description, rate_micros, org_id, created_at, updated_at, deleted_at)
      VALUES ('${AGENT}', 'bot', 'Bot', '', '', 'active', '', 55000000, '${ORG}', '${AT}', '${AT}', NULL);
    `);
    const before = db.prepare('SELECT * FROM orgs, agents').all();
    migrate(db, MIGRATIONS, VERSION);
    // Nothing is rewritten: the rows' rates are the rates from the beginning.
    expect(db.prepare('SELECT * FROM orgs, agents').all()).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM org_terms').pluck().get()).toBe(0);

    const moved = revision();
    db.prepare(
      "INSERT INTO org_terms (org_id, term, effective_from, amount, mode, created_at) VALUES (?, 'rate', '2026-03-01', 50000000, NULL, ?)",
    ).run(ORG, AT);
    db.prepare(
      "INSERT INTO agent_rates (agent_id, effective_from, rate_micros, created_at) VALUES (?, '2026-03-01', NULL, ?)",
    ).run(AGENT, AT);
    db.prepare(
      "INSERT INTO org_model_markups (org_id, model, effective_from, markup_bp, created_at) VALUES (?, 'gpt-4o', '2026-03-01', 2500, ?)",
    ).run(ORG, AT);
    expect(revision()).toBe(moved + 3);
    // A billing mode needs its mode, a rate its amount.
    expect(() =>
      db
        .prepare(
          "INSERT INTO org_terms (org_id, term, effective_from, amount, mode, created_at) VALUES (?, 'billing_mode', '2026-04-01', NULL, NULL, ?)",
        )
        .run(ORG, AT),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO org_terms (org_id, term, effective_from, amount, mode, created_at) VALUES (?, 'rate', '2026-04-01', NULL, NULL, ?)",
        )
        .run(ORG, AT),
    ).toThrow(/CHECK/);
    db.prepare('DELETE FROM agents WHERE id = ?').run(AGENT);
    db.prepare('DELETE FROM orgs WHERE id = ?').run(ORG);
    for (const table of ['org_terms', 'agent_rates', 'org_model_markups'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
  });
});

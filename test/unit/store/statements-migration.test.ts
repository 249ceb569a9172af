import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { statements } from '../../../electron/backend/store/migrations/017-statements';
import { createStatementsRepo } from '../../../electron/backend/store/repos/statements-repo';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = statements.version;
const ORG = '00000000-0000-4000-8000-0000000000b1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-statements-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const statement = (id: string, seq: number, month: string) => ({
  id,
  number: `ST-2026-${String(seq).padStart(4, '0')}`,
  year: 2026,
  seq,
  kind: 'statement' as const,
  org_id: ORG,
  month,
  issued_at: '2026-11-01T00:00:00.000Z',
  total_micros: 300_000_000,
  credits: null,
  document: '{}',
  pdf: Buffer.from('%PDF-'),
});

describe(`migration ${VERSION} (${statements.name})`, () => {
  it('from an empty file: the tables are there, STRICT', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    for (const name of ['statements', 'statement_lines', 'msp_logos'])
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(name)).toEqual({
        strict: 1,
      });
  });

  it(`from version ${VERSION - 1} with data: orgs unchanged; one standing statement per org and month`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    db.exec(`INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, billing_mode, contact_name,
      contact_email, description, budget_micros, active, deleted_at, created_at, updated_at)
      VALUES ('${ORG}', 'acme', 'Acme', 0, 'UTC', 300000000, 'prorated', '', '', '', NULL, 1, NULL,
      '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
    const before = db.prepare('SELECT * FROM orgs').all();
    migrate(db, MIGRATIONS, VERSION);
    expect(db.prepare('SELECT * FROM orgs').all()).toEqual(before);
    // Today's repository reads tables of later versions too.
    migrate(db, MIGRATIONS);
    const repo = createStatementsRepo(db);
    expect(repo.nextSeq(2026)).toBe(1);
    repo.insert(statement('s1', 1, '2026-10'), [
      {
        position: 0,
        for_month: '2026-10',
        kind: 'agent_fee',
        key: 'a1',
        description: 'Agent',
        amount_micros: 300_000_000n,
        cost_pico: 2n ** 70n,
        tokens: 0n,
      },
    ]);
    expect(repo.nextSeq(2026)).toBe(2);
    expect(repo.billed(ORG, '2026-10')).toEqual([
      expect.objectContaining({ amount_micros: 300_000_000n, cost_pico: 2n ** 70n }),
    ]);
    // A second standing statement for the month is refused; once the first is voided it is not.
    expect(() => repo.insert(statement('s2', 2, '2026-10'), [])).toThrow(/UNIQUE/);
    expect(() => repo.insert({ ...statement('s3', 1, '2026-09') }, [])).toThrow(/UNIQUE/);
    repo.insert({ ...statement('c1', 2, '2026-10'), kind: 'credit_note', credits: 's1' }, []);
    expect(repo.markVoided('s1', 'c1')).toBe(true);
    expect(repo.markVoided('s1', 'c1')).toBe(false);
    repo.insert(statement('s4', 3, '2026-10'), []);
    expect(repo.billed(ORG, '2026-10')).toEqual([]);
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDb } from '../../../electron/backend/store/database';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { handleAliases } from '../../../electron/backend/store/migrations/020-handle-aliases';
import { makeTempDir, removeDir } from '../../fixtures/backend';

const VERSION = handleAliases.version;
const T = '2026-01-01T00:00:00.000Z';
const ANN = '00000000-0000-4000-8000-0000000000a1';
let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = makeTempDir('orgdeck-handle-aliases-');
});
afterEach(() => {
  if (db?.open) db.close();
  removeDir(dir);
});

const addAnn = () =>
  db
    .prepare("INSERT INTO agents (id, handle, name, created_at, updated_at) VALUES (?, 'ann', 'Ann', ?, ?)")
    .run(ANN, T, T);
const alias = (source: string, kind: string, value: string) =>
  db
    .prepare('INSERT INTO agent_aliases (source, kind, value, agent_id, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(source, kind, value, ANN, T);
const aliases = () =>
  db.prepare('SELECT source, kind, value, agent_id FROM agent_aliases ORDER BY source, value').all();

/** What the new table takes and refuses, whichever way it was reached. */
function expectHandleAliases() {
  alias('orgdeck', 'handle', 'legacy-helpdesk');
  expect(() => alias('orgdeck', 'handle', 'legacy-helpdesk')).toThrow(/UNIQUE|PRIMARY KEY/);
  // Our files name handles only, providers never do.
  expect(() => alias('orgdeck', 'api_key', 'key_9')).toThrow(/CHECK/);
  expect(() => alias('openai', 'handle', 'ann-old')).toThrow(/CHECK/);
  expect(() => alias('azure', 'api_key', 'key_9')).toThrow(/CHECK/);
  alias('litellm', 'team', 'team_1');
}

describe(`migration ${VERSION} (${handleAliases.name})`, () => {
  it('from an empty file: an old handle maps to an agent, the pairs are checked', () => {
    db = openDatabase(join(dir, 'empty.db'), { migrateTo: VERSION });
    expect(schemaVersion(db)).toBe(VERSION);
    addAnn();
    expectHandleAliases();
    expect(aliases()).toHaveLength(2);
  });

  it(`from version ${VERSION - 1} with data: provider aliases are kept and still follow their agent`, () => {
    db = openDatabase(join(dir, 'old.db'), { migrateTo: VERSION - 1 });
    addAnn();
    alias('openai', 'api_key', 'key_1');
    alias('anthropic', 'workspace', 'wrk_1');
    expect(() => alias('orgdeck', 'handle', 'legacy-helpdesk')).toThrow(/CHECK/);
    migrate(db, MIGRATIONS, VERSION);
    expect(schemaVersion(db)).toBe(VERSION);
    expect(aliases()).toEqual([
      { source: 'anthropic', kind: 'workspace', value: 'wrk_1', agent_id: ANN },
      { source: 'openai', kind: 'api_key', value: 'key_1', agent_id: ANN },
    ]);
    expectHandleAliases();
    // A purged agent still takes its aliases with it.
    db.prepare('DELETE FROM agents WHERE id = ?').run(ANN);
    expect(aliases()).toEqual([]);
  });
});

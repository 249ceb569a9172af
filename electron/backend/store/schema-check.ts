import Database from 'better-sqlite3';
import type { SqliteDb } from './database';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { registerSqlFunctions } from './sql-functions';

/** One schema object as sqlite_master holds it, whitespace runs folded so only the statement counts. */
interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Statistics ANALYZE may have gathered: not schema, and harmless to differ. */
const IGNORED = /^sqlite_stat\d$/;

function schemaOf(db: SqliteDb): Map<string, SchemaObject> {
  const rows = db
    .prepare<[], SchemaObject>('SELECT type, name, tbl_name, sql FROM sqlite_master')
    .all()
    .filter((row) => !IGNORED.test(row.name));
  return new Map(
    rows.map((row) => [
      `${row.type} ${row.name}`,
      { ...row, sql: row.sql === null ? null : row.sql.replace(/\s+/g, ' ').trim() },
    ]),
  );
}

const expected = new Map<number, Map<string, SchemaObject>>();

/** What Orgdeck's migrations produce at `version`, worked out once per version in memory. */
function expectedSchema(version: number): Map<string, SchemaObject> {
  let schema = expected.get(version);
  if (!schema) {
    const db = new Database(':memory:');
    try {
      registerSqlFunctions(db);
      migrate(db, MIGRATIONS, version);
      schema = schemaOf(db);
    } finally {
      db.close();
    }
    expected.set(version, schema);
  }
  return schema;
}

const label = (object: SchemaObject) =>
  object.type === object.name || object.name === object.tbl_name
    ? `${object.type} ${object.name}`
    : `${object.type} ${object.name} on ${object.tbl_name}`;

/**
 * How `db`'s tables, indexes, triggers and views differ from what Orgdeck's migrations produce at
 * the version it says it is (user_version): a trigger or a column added by hand is as foreign as a
 * file from another program. Empty when they match; `version` must be one this Orgdeck knows.
 */
export function schemaDifferences(db: SqliteDb, version: number): string[] {
  const want = expectedSchema(version);
  const have = schemaOf(db);
  const differences: string[] = [];
  for (const [key, object] of have) {
    const wanted = want.get(key);
    if (!wanted) differences.push(`unexpected ${label(object)}`);
    else if (wanted.sql !== object.sql || wanted.tbl_name !== object.tbl_name)
      differences.push(`${label(object)} is not as version ${version} defines it`);
  }
  for (const [key, object] of want) if (!have.has(key)) differences.push(`missing ${label(object)}`);
  return differences;
}

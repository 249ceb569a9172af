import pg from 'pg';
import { StoreTooNewError } from '../migrate';
import { POSTGRES_MIGRATIONS } from './migrations';
import { grantServerRole } from './server-role';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** A database whose schema is older than this Orgdeck's: `serve` does not migrate (its role owns nothing). */
export class StoreNotMigratedError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This PostgreSQL database is at schema version ${found}; this Orgdeck needs version ${supported}. ` +
        'Run `orgdeck migrate --database URL` as the owner role first; the data has not been changed.',
    );
    this.name = 'StoreNotMigratedError';
  }
}

/** Version 0 when the database has never been migrated (no orgdeck_schema table). */
export async function postgresSchemaVersion(client: pg.ClientBase): Promise<number> {
  const table = await client.query<{ found: string | null }>("SELECT to_regclass('orgdeck_schema') AS found");
  if (table.rows[0]?.found == null) return 0;
  const row = await client.query<{ version: number }>('SELECT version FROM orgdeck_schema');
  return row.rows[0]?.version ?? 0;
}

/** For `serve`: only a database at exactly this version is opened; older and newer ones are refused. */
export async function requireKnownPostgresSchema(
  client: pg.ClientBase,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  const found = await postgresSchemaVersion(client);
  if (found > migrations.length) throw new StoreTooNewError(found, migrations.length);
  if (found < migrations.length) throw new StoreNotMigratedError(found, migrations.length);
}

/**
 * Brings the schema to `target` (default: the newest) in one transaction, under an advisory lock so
 * two servers upgraded at once migrate once. Runs as the role that is to own the tables.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
  target?: number,
): Promise<{ from: number; to: number }> {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration ${migration.name} is numbered ${migration.version}, expected ${index + 1}.`);
    }
  });
  const goal = target ?? migrations.length;
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('orgdeck migrate'))");
    await client.query(
      `CREATE TABLE IF NOT EXISTS orgdeck_schema (
         id smallint PRIMARY KEY CHECK (id = 1),
         version integer NOT NULL
       );
       INSERT INTO orgdeck_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
    );
    const from = await postgresSchemaVersion(client);
    if (from > migrations.length) throw new StoreTooNewError(from, migrations.length);
    for (const migration of migrations.filter((m) => m.version > from && m.version <= goal)) {
      await client.query(migration.sql);
      await client.query('UPDATE orgdeck_schema SET version = $1', [migration.version]);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, goal) };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** `orgdeck migrate`: connects as the owner role, migrates, then grants the server role what it needs. */
export async function migratePostgresDatabase(
  url: string,
  serverRole: string,
): Promise<{ from: number; to: number; serverRole: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const done = await migratePostgres(client);
    await grantServerRole(client, serverRole);
    return { ...done, serverRole };
  } finally {
    await client.end();
  }
}

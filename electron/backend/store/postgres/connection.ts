import pg from 'pg';
import { StoreTooNewError } from '../migrate';
import { StoreNotMigratedError } from './migrate';
import { POSTGRES_MIGRATIONS } from './migrations';
import { PgDb } from './pg-db';

/**
 * A connection for `serve` and the CLI, as the server role: only a database `orgdeck migrate`
 * brought to exactly this version is used (the server role owns nothing, so it never migrates).
 */
export function openPostgresConnection(url: string): PgDb {
  const db = new PgDb(url);
  try {
    const found =
      db.prepare<[], string | null>("SELECT to_regclass('orgdeck_schema')::text").pluck().get() == null
        ? 0
        : (db.prepare<[], number>('SELECT version FROM orgdeck_schema').pluck().get() ?? 0);
    if (found > POSTGRES_MIGRATIONS.length) throw new StoreTooNewError(found, POSTGRES_MIGRATIONS.length);
    if (found < POSTGRES_MIGRATIONS.length)
      throw new StoreNotMigratedError(found, POSTGRES_MIGRATIONS.length);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * An asynchronous connection of its own, as the same role, for streaming work a call's synchronous
 * bridge would hold up: the usage import's batches (COPY), each its own transaction.
 */
export async function connectPostgresClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

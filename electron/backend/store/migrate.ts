import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Data work after the SQL, for what SQL alone cannot compute; runs in the same transaction. */
  after?: (db: Database) => void;
}

export class StoreTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This data was written by a newer Orgdeck (schema version ${found}); this version reads up to ` +
        `version ${supported}. Update Orgdeck to open it; the data has not been changed.`,
    );
    this.name = 'StoreTooNewError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema to `target` (default: the newest), running every pending migration in one
 * transaction so a failure leaves the previous version intact.
 */
export function migrate(db: Database, migrations: readonly Migration[], target?: number): number {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration ${migration.name} is numbered ${migration.version}, expected ${index + 1}.`);
    }
  });
  const latest = migrations.length;
  const goal = target ?? latest;
  const current = schemaVersion(db);
  if (current > latest) throw new StoreTooNewError(current, latest);
  const pending = migrations.filter((m) => m.version > current && m.version <= goal);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.sql);
      migration.after?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
  return goal;
}

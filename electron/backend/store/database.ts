import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, StoreTooNewError, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import { registerSqlFunctions } from './sql-functions';

/** A SQLite connection: what the engine-specific code (backups, imports, maintenance) takes. */
export type SqliteDb = Database.Database;

/** What the write-ahead log is cut back to once every frame of it is in the store file. */
const WAL_KEPT_BYTES = 64 * 2 ** 20;
/**
 * The most one commit cuts from the log. SQLite cuts the log file in the commit that restarts it,
 * holding the write lock, and cutting a file costs ~0.3 s per GB on this machine's ext4: after a
 * 10M-row import was undone, a ~10 GB log held the next write 4.4–8.5 s. A slice of 128 MB
 * is ~40 ms; a larger log is cut back over as many restarts, one every checkpoint or so.
 */
const WAL_CUT_BYTES = 128 * 2 ** 20;

/** How often the writer's connection looks at the log's size (walKeeper): as often as it is checkpointed. */
export const WAL_CUT_EVERY_MS = 100;

/** The size of store `file`'s write-ahead log file, 0 while it has none. */
export function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * Past this size, a log still growing at its end has not restarted: the writer's background
 * rewrites then pause for the checkpointer (walKeeper's `behind`). The checkpointer copies the log
 * into the store file beside the writer, but SQLite restarts the log only at a write that finds
 * every frame copied, and a writer that never pauses leaves none such: a 10M-row undo, writing
 * ~120 MB of log a second, grew it to ~10 GB.
 */
const WAL_BEHIND_BYTES = 256 * 2 ** 20;

/**
 * For a connection that writes: `look()` before its writes, or every WAL_CUT_EVERY_MS. Lets the
 * commit that restarts the log cut at most WAL_CUT_BYTES of it, plus what was written since the last
 * look (journal_size_limit follows the log's size down, a slice at a time). `behind()`, between
 * writes, says whether the log passed WAL_BEHIND_BYTES and grew since it was last asked.
 */
export function walKeeper(db: SqliteDb) {
  const walSize = () => walBytes(db.name);
  let limit = WAL_KEPT_BYTES;
  let sizeWhenAsked = 0;
  return {
    look(): void {
      if (!db.open) return;
      const next = Math.max(WAL_KEPT_BYTES, walSize() - WAL_CUT_BYTES);
      if (next === limit) return;
      db.pragma(`journal_size_limit = ${next}`);
      limit = next;
    },
    behind(): boolean {
      const size = walSize();
      // The file grows only when the log's end passes it: a restarted log writes over its start.
      const grew = size > sizeWhenAsked;
      sizeWhenAsked = size;
      return grew && size > WAL_BEHIND_BYTES;
    },
  };
}

/** Opens (creating if needed) the tenant store and brings its schema up to date. */
export function openDatabase(file: string, options: { migrateTo?: number } = {}): SqliteDb {
  const db = new Database(file);
  try {
    // Refuse a newer store before touching it, even its journal mode.
    const found = schemaVersion(db);
    if (found > MIGRATIONS.length) throw new StoreTooNewError(found, MIGRATIONS.length);
    registerSqlFunctions(db);
    // Set before a new store's first write; usage imports of millions of rows rewrite far fewer
    // pages of the seen-rows index and the rollups with larger pages.
    if (found === 0) db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // A large import's write-ahead log is cut back once checkpointed, not kept at its largest
    // (a slice per restart on the writers' connections: walKeeper).
    db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
    migrate(db, MIGRATIONS, options.migrateTo);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A read-only connection to a store another connection (the one writer) has opened and migrated:
 * reads over WAL run beside the writer's work instead of queuing behind it.
 */
export function openReadConnection(file: string): SqliteDb {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const found = schemaVersion(db);
    if (found !== MIGRATIONS.length)
      throw new Error(
        `The store is at schema version ${found}, not ${MIGRATIONS.length}: the writer opens it first.`,
      );
    registerSqlFunctions(db);
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A connection that only copies the write-ahead log into the store file (a passive checkpoint:
 * it waits for no reader or writer), for a thread of its own. The writer's commits then leave the
 * log to it (`leaveCheckpointsToOthers`): a checkpoint in a commit copies up to 1,000 pages and
 * held the writer, and every write queued behind it, 100–400 ms on a busy machine.
 */
export function openWalCheckpointer(file: string) {
  const db = new Database(file, { fileMustExist: true });
  return {
    checkpoint: (): void => void db.pragma('wal_checkpoint(PASSIVE)'),
    close: (): void => void db.close(),
  };
}

/** The writer's commits no longer checkpoint the log: a checkpointer's thread does (openWalCheckpointer). */
export function leaveCheckpointsToOthers(db: SqliteDb): void {
  db.pragma('wal_autocheckpoint = 0');
}

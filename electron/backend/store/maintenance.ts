import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { plural } from '../../../shared/domain/counts';
import { openDatabase, type SqliteDb } from './database';
import { isSqliteBusy } from './engine-errors';
import { StoreTooNewError, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import { createUsersRepo } from './repos/users-repo';
import { schemaDifferences } from './schema-check';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  advice?: string;
}

/** The schema check of a store at `version`: its objects exactly as the migrations make them. */
function schemaCheck(db: SqliteDb, version: number): Check {
  if (version > MIGRATIONS.length)
    return { name: 'schema objects', ok: false, detail: 'written by a newer Orgdeck' };
  const differences = schemaDifferences(db, version);
  return {
    name: 'schema objects',
    ok: differences.length === 0,
    detail:
      differences.length === 0
        ? `as version ${version} defines them`
        : `${differences.slice(0, 5).join('; ')}${differences.length > 5 ? `; and ${differences.length - 5} more` : ''}`,
    advice:
      'Tables, indexes, triggers or views were changed outside Orgdeck: restore a backup made by Orgdeck.',
  };
}

/**
 * Checks a store file before it replaces the live one: readable, intact, not from a newer Orgdeck,
 * and holding exactly the tables, indexes, triggers and views Orgdeck's migrations produce for
 * the version it claims, so a crafted file (a trigger, a table of another program) is refused.
 */
export function checkBackupFile(file: string): Check[] {
  if (!existsSync(file)) return [{ name: 'file', ok: false, detail: `${file} does not exist.` }];
  let db: SqliteDb | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const version = schemaVersion(db);
    return [
      { name: 'integrity', ok: integrity === 'ok', detail: integrity === 'ok' ? 'ok' : integrity },
      {
        name: 'schema',
        ok: version >= 1 && version <= MIGRATIONS.length,
        detail:
          version === 0
            ? 'version 0: not an Orgdeck store'
            : `version ${version} (this Orgdeck reads up to ${MIGRATIONS.length})`,
      },
      schemaCheck(db, version),
    ];
  } catch (error) {
    return [{ name: 'file', ok: false, detail: `not a readable SQLite file: ${(error as Error).message}` }];
  } finally {
    db?.close();
  }
}

/**
 * Copies a checked backup to `copy` and brings the copy up to this version's schema, checking it
 * again there: restores put the copy in place, so a backup whose migration fails replaces nothing.
 * Returns the problems, with the copy removed, or none.
 */
export function prepareRestoreCopy(file: string, copy: string): Check[] {
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${copy}${suffix}`, { force: true });
  };
  remove();
  try {
    copyFileSync(file, copy);
    // A store copied with its write-ahead log (a data directory copied whole, or left by a killed
    // app) holds its last transactions there, and the check read them: they come along.
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  } catch (error) {
    remove();
    return [{ name: 'copy', ok: false, detail: `cannot be copied: ${(error as Error).message}` }];
  }
  let db: SqliteDb | undefined;
  try {
    db = openDatabase(copy);
    const problems = [schemaCheck(db, schemaVersion(db))].filter((check) => !check.ok);
    // The last connection's close checkpoints the WAL into the file: the copy is one file again.
    db.close();
    if (problems.length > 0) remove();
    return problems;
  } catch (error) {
    db?.close();
    remove();
    return [
      { name: 'migration', ok: false, detail: `cannot be brought up to date: ${(error as Error).message}` },
    ];
  }
}

/**
 * Whether the store file `file` (brought up to date: prepareRestoreCopy) holds an active owner. A
 * store without one opens on first-run setup, which a remote console offers to whoever asks first.
 */
export function hasActiveOwner(file: string): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return createUsersRepo(db).activeOwners() > 0;
  } finally {
    db.close();
  }
}

/** statement_lines' columns, named: the two stores' tables are compared by name, not by position. */
const LINE_COLUMNS =
  'statement_id, position, org_id, for_month, kind, key, description, amount_micros, cost_pico, tokens';

/**
 * Carries into the store file `copy` (a backup brought up to date: prepareRestoreCopy) every
 * statement and credit note the store file `live` issued that the backup does not hold, as issued,
 * with the voids made since and the months closed without a statement. A statement is a document a
 * client holds: restoring an older backup must neither lose it nor issue its number again. `live`
 * must be at this version's schema (opened, and so migrated, first). One transaction: a problem
 * (the backup holds another document under a number) changes nothing and is answered as a Check.
 * `kept`: the numbers of the documents carried, in the order they were issued.
 */
export function carryIssuedStatements(copy: string, live: string): { kept: string[]; problems: Check[] } {
  const db = new Database(copy, { fileMustExist: true });
  try {
    db.prepare('ATTACH DATABASE ? AS issued').run(live);
    const kept = db.transaction(() => {
      const numbers = db
        .prepare<[], string>(
          `SELECT number FROM issued.statements i
           WHERE NOT EXISTS (SELECT 1 FROM main.statements m WHERE m.id = i.id) ORDER BY year, seq`,
        )
        .pluck()
        .all();
      // The voids and the credit notes that make them refer to each other: checked at commit.
      db.pragma('defer_foreign_keys = ON');
      db.exec(`
        UPDATE main.statements SET voided_by = (
          SELECT i.voided_by FROM issued.statements i WHERE i.id = main.statements.id)
        WHERE voided_by IS NULL
          AND EXISTS (SELECT 1 FROM issued.statements i WHERE i.id = main.statements.id AND i.voided_by IS NOT NULL);
        INSERT INTO main.statements (id, number, year, seq, kind, org_id, month, issued_at, total_micros, credits, voided_by, document, pdf)
          SELECT id, number, year, seq, kind, org_id, month, issued_at, total_micros, credits, voided_by, document, pdf
          FROM issued.statements i WHERE NOT EXISTS (SELECT 1 FROM main.statements m WHERE m.id = i.id)
          ORDER BY year, seq;
        INSERT INTO main.statement_lines (${LINE_COLUMNS})
          SELECT ${LINE_COLUMNS} FROM issued.statement_lines l
          WHERE NOT EXISTS (SELECT 1 FROM main.statement_lines m WHERE m.statement_id = l.statement_id);
        INSERT OR IGNORE INTO main.months_closed_without_statement (org_id, month, closed_at)
          SELECT org_id, month, closed_at FROM issued.months_closed_without_statement c
          WHERE EXISTS (SELECT 1 FROM main.orgs o WHERE o.id = c.org_id);
      `);
      return numbers;
    })();
    return { kept, problems: [] };
  } catch (error) {
    return {
      kept: [],
      problems: [
        {
          name: 'statements',
          ok: false,
          detail: `those issued since the backup could not be kept (${(error as Error).message}); it may be a backup of another Orgdeck`,
        },
      ],
    };
  } finally {
    db.close();
  }
}

/**
 * Whether another connection has the store at `file` open: the desktop app, `orgdeck serve` or
 * another command, each of which would go on with the file a restore renames aside. In WAL mode
 * every open connection holds a shared lock, even idle, so only a store no one else has open gives
 * an exclusive one. A store that cannot be read at all (what a restore repairs) is not in use.
 */
export function storeOpenElsewhere(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: SqliteDb | undefined;
  try {
    db = new Database(file, { timeout: 250 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    return isSqliteBusy(error);
  } finally {
    db?.close();
  }
}

/**
 * Puts a prepared copy (prepareRestoreCopy) in place of the store at `live`, keeping the current
 * one aside first. The store must be closed; returns where the previous store was kept.
 */
export function swapInStore(live: string, preparedCopy: string, stamp: string): string {
  const aside = `${live}.before-restore-${stamp}`;
  if (existsSync(live)) renameSync(live, aside);
  for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
  renameSync(preparedCopy, live);
  return aside;
}

/** A check that cannot run (a table missing from a damaged store) fails with why, rather than the doctor. */
function guarded(name: string, advice: string, run: () => Pick<Check, 'ok' | 'detail'>): Check {
  try {
    return { name, advice, ...run() };
  } catch (error) {
    return { name, ok: false, detail: `could not be checked: ${(error as Error).message}`, advice };
  }
}

const count = (db: SqliteDb, sql: string) => (db.prepare(sql).get() as { n: number }).n;

/** What `orgdeck doctor` looks at on an open store. */
export function diagnose(
  db: SqliteDb,
  auditFirstBroken: () => { id: number; reason: string } | undefined,
): Check[] {
  const version = schemaVersion(db);
  return [
    guarded('integrity', 'Restore the latest backup: orgdeck restore FILE', () => {
      const integrity = db.pragma('integrity_check', { simple: true }) as string;
      return { ok: integrity === 'ok', detail: integrity };
    }),
    {
      name: 'migrations',
      ok: version === MIGRATIONS.length,
      detail: `schema version ${version} of ${MIGRATIONS.length}`,
      advice: 'Open the store with this Orgdeck once (any command) to bring it up to date.',
    },
    guarded('schema objects', 'Restore a backup made by Orgdeck: orgdeck restore FILE', () => {
      const { ok, detail } = schemaCheck(db, version);
      return { ok, detail };
    }),
    guarded(
      'foreign keys',
      'Restore the latest backup, or export the affected orgs and import them into a fresh store.',
      () => {
        const foreignKeys = db.pragma('foreign_key_check') as unknown[];
        return {
          ok: foreignKeys.length === 0,
          detail:
            foreignKeys.length === 0
              ? 'ok'
              : `${plural(foreignKeys.length, 'row points', 'rows point')} at rows that do not exist`,
        };
      },
    ),
    guarded(
      'audit chain',
      'An audit entry was changed outside Orgdeck: compare with a backup to see what changed.',
      () => {
        const broken = auditFirstBroken();
        return {
          ok: broken === undefined,
          detail: broken ? `entry ${broken.id}: ${broken.reason}` : 'intact',
        };
      },
    ),
    guarded(
      'orphan rows',
      'Unassign agents from deleted organizations, or restore those organizations.',
      () => {
        const orphans = {
          'agents in a deleted organization': count(
            db,
            'SELECT count(*) AS n FROM agents a JOIN orgs o ON o.id = a.org_id WHERE a.deleted_at IS NULL AND o.deleted_at IS NOT NULL',
          ),
          'usage sums of a missing organization': count(
            db,
            `SELECT count(*) AS n FROM usage_org_months u JOIN usage_refs r ON r.id = u.org
           WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = r.name)`,
          ),
          'usage sums of a missing agent': count(
            db,
            `SELECT count(*) AS n FROM usage_months u JOIN usage_refs r ON r.id = u.agent
           WHERE NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = r.name)`,
          ),
          'search entries without a document': count(
            db,
            'SELECT count(*) AS n FROM knowledge_fts f WHERE NOT EXISTS (SELECT 1 FROM knowledge_docs d WHERE d.rowid = f.rowid)',
          ),
        };
        const total = Object.values(orphans).reduce((a, b) => a + b, 0);
        return {
          ok: total === 0,
          detail:
            total === 0
              ? 'none'
              : Object.entries(orphans)
                  .filter(([, n]) => n > 0)
                  .map(([what, n]) => `${n} ${what}`)
                  .join('; '),
        };
      },
    ),
  ];
}

/** What `orgdeck doctor` says of a store Orgdeck cannot open: why, and what the file holds. */
export function diagnoseUnopenable(file: string, error: unknown): Check[] {
  const opening: Check = {
    name: 'store',
    ok: false,
    detail: `cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
    // A newer Orgdeck's store is whole: restoring a backup over it would lose what that one wrote.
    advice:
      error instanceof StoreTooNewError
        ? 'Open it with the newer Orgdeck that wrote it (update this one); do not restore a backup over it.'
        : 'Restore a backup: orgdeck restore FILE (daily backups are in the data directory’s backups folder; a store kept aside by a restore is beside the store).',
  };
  return existsSync(file) ? [opening, ...checkBackupFile(file)] : [opening];
}

import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './database';
import { schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  advice?: string;
}

/** Checks a store file before it replaces the live one: readable, intact, not from a newer Orgdeck. */
export function checkBackupFile(file: string): Check[] {
  if (!existsSync(file)) return [{ name: 'file', ok: false, detail: `${file} does not exist.` }];
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const version = schemaVersion(db);
    const isOrgdeck = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'orgs'").get() as {
      n: number;
    };
    return [
      { name: 'integrity', ok: integrity === 'ok', detail: integrity === 'ok' ? 'ok' : integrity },
      {
        name: 'orgdeck store',
        ok: isOrgdeck.n === 1,
        detail: isOrgdeck.n === 1 ? 'ok' : 'no organizations table',
      },
      {
        name: 'schema',
        ok: version <= MIGRATIONS.length,
        detail: `version ${version} (this Orgdeck reads up to ${MIGRATIONS.length})`,
      },
    ];
  } catch (error) {
    return [{ name: 'file', ok: false, detail: `not a readable SQLite file: ${(error as Error).message}` }];
  } finally {
    db?.close();
  }
}

/**
 * Puts a checked backup in place of the store at `live`, keeping the current one aside first.
 * The store must be closed; returns where the previous store was kept.
 */
export function swapInBackup(live: string, backup: string, stamp: string): string {
  const aside = `${live}.before-restore-${stamp}`;
  if (existsSync(live)) renameSync(live, aside);
  for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
  copyFileSync(backup, live);
  return aside;
}

/** What `orgdeck doctor` looks at on an open store. */
export function diagnose(
  db: Db,
  auditFirstBroken: () => { id: number; reason: string } | undefined,
): Check[] {
  const integrity = db.pragma('integrity_check', { simple: true }) as string;
  const version = schemaVersion(db);
  const foreignKeys = db.pragma('foreign_key_check') as unknown[];
  const broken = auditFirstBroken();
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const orphans = {
    'agents in a deleted organization': count(
      'SELECT count(*) AS n FROM agents a JOIN orgs o ON o.id = a.org_id WHERE a.deleted_at IS NULL AND o.deleted_at IS NOT NULL',
    ),
    'usage sums of a missing organization': count(
      `SELECT count(*) AS n FROM usage_org_months u JOIN usage_refs r ON r.id = u.org
       WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = r.name)`,
    ),
    'usage sums of a missing agent': count(
      `SELECT count(*) AS n FROM usage_months u JOIN usage_refs r ON r.id = u.agent
       WHERE NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = r.name)`,
    ),
    'search entries without a document': count(
      'SELECT count(*) AS n FROM knowledge_fts f WHERE NOT EXISTS (SELECT 1 FROM knowledge_docs d WHERE d.rowid = f.rowid)',
    ),
  };
  const orphanTotal = Object.values(orphans).reduce((a, b) => a + b, 0);
  return [
    {
      name: 'integrity',
      ok: integrity === 'ok',
      detail: integrity,
      advice: 'Restore the latest backup: orgdeck restore FILE',
    },
    {
      name: 'migrations',
      ok: version === MIGRATIONS.length,
      detail: `schema version ${version} of ${MIGRATIONS.length}`,
      advice: 'Open the store with this Orgdeck once (any command) to bring it up to date.',
    },
    {
      name: 'foreign keys',
      ok: foreignKeys.length === 0,
      detail:
        foreignKeys.length === 0 ? 'ok' : `${foreignKeys.length} row(s) point at rows that do not exist`,
      advice: 'Restore the latest backup, or export the affected orgs and import them into a fresh store.',
    },
    {
      name: 'audit chain',
      ok: broken === undefined,
      detail: broken ? `entry ${broken.id}: ${broken.reason}` : 'intact',
      advice: 'An audit entry was changed outside Orgdeck: compare with a backup to see what changed.',
    },
    {
      name: 'orphan rows',
      ok: orphanTotal === 0,
      detail:
        orphanTotal === 0
          ? 'none'
          : Object.entries(orphans)
              .filter(([, n]) => n > 0)
              .map(([what, n]) => `${n} ${what}`)
              .join('; '),
      advice: 'Unassign agents from deleted organizations, or restore those organizations.',
    },
  ];
}

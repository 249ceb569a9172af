import type { Db } from '../engine';

/** An org archive being imported: its daily usage is written, under org_ref above since, before the org exists. */
export interface ArchiveImportRow {
  org_ref: number;
  since: number;
}

/**
 * Org archives whose daily usage is being written a write at a time (archive_imports), and those
 * abandoned (failed, or cut short by a crash), whose rows leave a write at a time.
 */
export function createArchiveImportsRepo(db: Db) {
  const begin = db.prepare<ArchiveImportRow & { started_at: string }>(
    'INSERT INTO archive_imports (org_ref, since, started_at) VALUES (:org_ref, :since, :started_at)',
  );
  const end = db.prepare<[number]>('DELETE FROM archive_imports WHERE org_ref = ?');
  const abandon = db.prepare<[number]>('UPDATE archive_imports SET abandoned = 1 WHERE org_ref = ?');
  const abandonAll = db.prepare('UPDATE archive_imports SET abandoned = 1');
  const running = db
    .prepare<[number], number>('SELECT abandoned FROM archive_imports WHERE org_ref = ?')
    .pluck();
  const firstAbandoned = db.prepare<[], ArchiveImportRow>(
    'SELECT org_ref, since FROM archive_imports WHERE abandoned = 1 ORDER BY org_ref LIMIT 1',
  );
  return {
    begin: (row: ArchiveImportRow, startedAt: string) => void begin.run({ ...row, started_at: startedAt }),
    /** The import's org is live (or its rows are all gone): nothing is left to do for it. */
    end: (orgRef: number) => void end.run(orgRef),
    abandon: (orgRef: number) => void abandon.run(orgRef),
    /** At start: whatever import was running then was cut short. */
    abandonAll: () => void abandonAll.run(),
    /** Whether the import still runs (not abandoned by a start, or by another server's). */
    running: (orgRef: number): boolean => running.get(orgRef) === 0,
    firstAbandoned: (): ArchiveImportRow | undefined => firstAbandoned.get(),
  };
}

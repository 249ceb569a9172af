import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupKind } from '../../../shared/contract/backups';
import { AppError } from '../../../shared/contract/envelope';
import { processAlive } from '../process-alive';
import { openReadConnection, type SqliteDb } from '../store/database';

export interface BackupFile {
  name: string;
  kind: BackupKind;
  /** The UTC day it was made, from its name: what retention goes by. */
  day: string;
  /** When the file was written, from the file system. */
  createdAt: string;
  sizeBytes: number;
}

const stamp = (at: Date) => at.toISOString().replaceAll(':', '-').replaceAll('.', '-');
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export const backupName = {
  automatic: (at: Date) => `orgdeck-daily-${utcDay(at)}.db`,
  manual: (at: Date) => `orgdeck-manual-${stamp(at)}.db`,
  'before-restore': (at: Date) => `orgdeck-before-restore-${stamp(at)}.db`,
} satisfies Record<BackupKind, (at: Date) => string>;

const NAME = /^orgdeck-(daily|manual|before-restore)-(\d{4}-\d{2}-\d{2})(?:T\d{2}-\d{2}-\d{2}-\d{3}Z)?\.db$/;
const KIND_OF: Record<string, BackupKind> = {
  daily: 'automatic',
  manual: 'manual',
  'before-restore': 'before-restore',
};

/** What a backup's name says, or undefined for any other file (or a name with a path in it). */
export function parseBackupName(name: string): Pick<BackupFile, 'kind' | 'day'> | undefined {
  const match = NAME.exec(name);
  const kind = match?.[1] && KIND_OF[match[1]];
  return kind && match[2] ? { kind, day: match[2] } : undefined;
}

/** The backups in `dir`, newest first; half-written files never match a backup's name. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const files: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    const stats = statSync(join(dir, name), { throwIfNoEntry: false });
    if (!stats?.isFile()) continue;
    files.push({ name, ...parsed, createdAt: stats.mtime.toISOString(), sizeBytes: stats.size });
  }
  return files.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Removes a backup with the files SQLite may have left beside it. */
export function removeBackup(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** Why a backup was not made when Orgdeck closed before or during it. */
export const SHUTTING_DOWN = 'Orgdeck is shutting down: no backup was made.';

const PARTIAL = /\.partial-(\d+)(?:-journal|-wal|-shm)?$/;

/** Pages SQLite copies per step of a backup (better-sqlite3's default): the thread runs other work between steps. */
const PAGES_PER_STEP = 100;
/**
 * How much more of the copy is written before the next background flush: a bounded number of
 * flushes per backup (about 100 for a 1.6 GB store), each a drive cache flush on macOS.
 */
const FLUSH_EVERY_BYTES = 16 * 2 ** 20;

/**
 * Writes `path`'s pages to disk in the background (the thread pool), one flush at a time, while
 * a backup goes on writing it. SQLite syncs the copy as its last step, on the backup's thread:
 * with every page of a 1.6 GB store still to write that step held its thread 1.2 s (bench, then
 * the host's writer), with the rest already on disk ~130 ms. A failed flush fails the backup at
 * `sync` (a file system may report a write error to that one descriptor only).
 */
function flushInBackground(path: string) {
  let file: FileHandle | undefined;
  let flushing: Promise<void> | undefined;
  let failure: unknown;
  let flushedAt = 0;
  return {
    /** After `written` bytes of the copy: flushes them once enough is new and no flush runs. */
    written(written: number): void {
      if (flushing || failure !== undefined || written - flushedAt < FLUSH_EVERY_BYTES) return;
      flushedAt = written;
      flushing = (async () => {
        file ??= await open(path, 'r+');
        await file.datasync();
      })()
        .catch((error: unknown) => {
          failure = error;
        })
        .finally(() => {
          flushing = undefined;
        });
    },
    /** Once the copy is complete: the rest of it on disk, through the same descriptor. */
    async sync(): Promise<void> {
      await flushing;
      if (failure !== undefined) throw failure;
      file ??= await open(path, 'r+');
      await file.sync();
    },
    async close(): Promise<void> {
      await flushing;
      const opened = file;
      file = undefined;
      await opened?.close();
    },
  };
}

/**
 * Puts the directory entry of `file` on disk: a rename is a change of its directory, which a
 * power cut can undo until the directory itself is synced (the backup would then be the partial
 * again, removed at the next start). Windows cannot open a directory to sync it; NTFS journals
 * the rename itself.
 */
async function syncDirectoryOf(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  // As SQLite does for its journal's directory: a file system that cannot sync a directory (some
  // network and FUSE mounts answer EINVAL) fails no backup, which is complete and renamed already.
  const directory = await open(dirname(file), 'r').catch(() => undefined);
  if (!directory) return;
  await directory.sync().catch(() => {});
  await directory.close();
}

/** SQLite's "database or disk is full", or the file system's own. */
const diskFull = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
};

/**
 * Copies the store `db` reads to `out` with SQLite's online backup, in steps (PAGES_PER_STEP) with
 * the thread free for other work between them. It is written under a temporary name and renamed
 * only once complete and on disk, so a crash or a kill never leaves a file at `out` that looks
 * like a backup but is not all there. `stopped` is asked between steps: a backup of a closing
 * backend ends there, its partial removed. (A process killed mid-copy leaves its partial, which
 * the next start removes.) A full disk is said as such: trying again will not help.
 */
export async function writeBackup(db: SqliteDb, out: string, stopped = () => false): Promise<void> {
  const partial = `${out}.partial-${process.pid}`;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const flusher = flushInBackground(partial);
  try {
    // A partial of an earlier run with this pid (a container's pids repeat): not built upon.
    removeBackup(partial);
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        if (stopped()) throw new AppError('UNAVAILABLE', SHUTTING_DOWN);
        flusher.written((totalPages - remainingPages) * pageSize);
        return PAGES_PER_STEP;
      },
    });
    // Off the thread, as the flushes: this thread may be the host's writer, which answers every write call.
    await flusher.sync();
    // Closed before the rename, so an error closing it (a late write error, on NFS) fails the
    // backup before it has its name; the close in `finally` is for a copy that failed before here.
    await flusher.close();
    await rename(partial, out);
    await syncDirectoryOf(out);
  } catch (error) {
    if (diskFull(error))
      throw new AppError(
        'UNAVAILABLE',
        `Not backed up: the disk holding ${dirname(out)} is full. Free some space (older backups can be deleted) and back up again.`,
      );
    throw error;
  } finally {
    await flusher.close();
    removeBackup(partial);
  }
}

/**
 * Copies the store in `dbFile` to `out` as it was when the copy began, on a read-only connection
 * of its own that holds one read transaction (WAL) over every step. The store's writers go on
 * meanwhile and are not in the copy; without that snapshot each of their commits would restart
 * the copy (SQLite's backup starts over when another connection changes its source), and a
 * store written every few seconds would never be copied.
 */
export async function writeSnapshotBackup(
  dbFile: string,
  out: string,
  stopped: () => boolean,
): Promise<void> {
  const snapshot = openReadConnection(dbFile);
  try {
    snapshot.exec('BEGIN');
    // BEGIN takes no snapshot until the first read.
    snapshot.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
    await writeBackup(snapshot, out, stopped);
  } finally {
    snapshot.close();
  }
}

/**
 * The backup at `file`, opened to be copied into a store of `pageSize`-byte pages. SQLite's backup
 * cannot change the page size of a store in WAL mode, so a backup with other pages (an older
 * Orgdeck's) is first rewritten with the store's, under a temporary name that `done` removes.
 */
export function openForRestore(file: string, pageSize: number): { source: Database.Database; done(): void } {
  const source = new Database(file, { readonly: true, fileMustExist: true });
  if (source.pragma('page_size', { simple: true }) === pageSize)
    return { source, done: () => source.close() };
  const copy = `${file}.partial-${process.pid}`;
  try {
    source.pragma(`page_size = ${pageSize}`);
    source.prepare('VACUUM INTO ?').run(copy);
  } finally {
    source.close();
  }
  const rewritten = new Database(copy, { readonly: true, fileMustExist: true });
  return {
    source: rewritten,
    done: () => {
      rewritten.close();
      removeBackup(copy);
    },
  };
}

/** Removes what backups cut off by a crash left in `dir`; a running process's own stays. */
export function removeAbandonedPartials(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const pid = PARTIAL.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(basename(name));
  }
  return removed;
}

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Backup, BackupKind } from '../../../shared/contract/backups';
import { AppError } from '../../../shared/contract/envelope';
import type { Logger } from '../logger';
import { type AuditLog, SYSTEM_ACTOR } from '../services/audit-log';
import type { Principal } from '../services/principal';
import { noReaderOpen } from '../services/reads-elsewhere';
import type { Clock } from '../store/clock';
import {
  type Check,
  carryIssuedStatements,
  checkBackupFile,
  hasActiveOwner,
  prepareRestoreCopy,
} from '../store/maintenance';
import { type AccessKept, carryAccessAsToday } from '../store/restore-access';
import { type Store, sqliteOf } from '../store/store';
import {
  type BackupFile,
  backupName,
  listBackups,
  openForRestore,
  parseBackupName,
  removeAbandonedPartials,
  removeBackup,
  SHUTTING_DOWN,
  utcDay,
  writeBackup,
  writeSnapshotBackup,
} from './backup-files';
import { daysToKeep } from './retention';

export const BACKUPS_DIR = 'backups';
/** SQLite's largest step: the whole backup in one step, so the live store changes in one commit. */
const ALL_PAGES = 0x7fffffff;

type Actor = Pick<Principal, 'userId' | 'label'>;

export interface BackupsServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  logger: Logger;
  dataDir: string;
  dbFile: string;
  /** Whether a usage import is writing to the store: a restore under it would mix two stores. */
  importsRunning(): boolean;
  /** Makes a snapshot copy on another thread (a backend host's reader: ReadsElsewhere.copySnapshot). */
  copySnapshotElsewhere?: (out: string) => Promise<void>;
}

const toBackup = ({ name, kind, createdAt, sizeBytes }: BackupFile): Backup => ({
  name,
  kind,
  createdAt,
  sizeBytes,
});

/** Backups in `<dataDir>/backups`: made by hand, once a day with retention, and restored into the open store. */
export function createBackupsService({
  store,
  clock,
  audit,
  logger,
  dataDir,
  dbFile,
  importsRunning,
  copySnapshotElsewhere,
}: BackupsServiceDeps) {
  const dir = join(dataDir, BACKUPS_DIR);
  // One backup or restore at a time: a restore must not copy a store that a backup is reading.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  }

  const copySnapshot = (out: string) => writeSnapshotBackup(dbFile, out, () => closed);

  /**
   * A snapshot copy on a reader thread, where no write waits for it; on this thread when no reader
   * is open. A copy that failed on a reader is not made again here.
   */
  async function copyBeside(out: string): Promise<void> {
    if (copySnapshotElsewhere) {
      try {
        await copySnapshotElsewhere(out);
        return;
      } catch (error) {
        if (closed || !noReaderOpen(error)) throw error;
        logger.info('backup made on the writer: no reader is open');
      }
    }
    await copySnapshot(out);
  }

  async function write(kind: BackupKind): Promise<BackupFile> {
    if (closed) throw new AppError('UNAVAILABLE', SHUTTING_DOWN);
    // First, whatever the kind: on PostgreSQL it refuses, saying how that database is backed up.
    const db = sqliteOf(store);
    mkdirSync(dir, { recursive: true });
    const name = backupName[kind](clock.now());
    if (existsSync(join(dir, name)))
      throw new AppError('CONFLICT', `A backup named ${name} exists already: try again in a moment.`);
    const out = join(dir, name);
    // Kept aside before a restore: copied on the store's own connection, whose writes reach the
    // copy as it is made, so every write answered until the restore is in it.
    if (kind === 'before-restore') await writeBackup(db, out);
    else await copyBeside(out);
    const made = listBackups(dir).find((file) => file.name === name);
    if (!made) throw new Error(`The backup ${name} was written but is not in ${dir}.`);
    return made;
  }

  function recordCreated(actor: Actor, file: BackupFile): void {
    audit.record(actor, {
      action: 'backup.created',
      orgId: null,
      target: { type: 'backup', id: file.name },
      summary: { after: { kind: file.kind, sizeBytes: file.sizeBytes } },
    });
  }

  /** Deletes the daily backups that retention no longer keeps; manual ones are the user's to delete. */
  function prune(today: string): void {
    const dailies = listBackups(dir).filter((file) => file.kind === 'automatic');
    const keep = daysToKeep(
      dailies.map((file) => file.day),
      today,
    );
    for (const file of dailies) {
      if (keep.has(file.day)) continue;
      removeBackup(join(dir, file.name));
      logger.info('removed an old daily backup', { file: file.name });
    }
  }

  return {
    list: (): { items: Backup[] } => ({ items: listBackups(dir).map(toBackup) }),

    create: (actor: Actor): Promise<Backup> =>
      serially(async () => {
        const file = await write('manual');
        recordCreated(actor, file);
        return toBackup(file);
      }),

    /** Makes today's daily backup if there is none yet, then prunes: run at start and every hour. */
    ensureDaily: (): Promise<void> =>
      serially(async () => {
        if (closed) return;
        for (const name of removeAbandonedPartials(dir))
          logger.info('removed a backup cut off by a crash', { file: name });
        const today = utcDay(clock.now());
        const done = listBackups(dir).some((file) => file.kind === 'automatic' && file.day === today);
        if (!done) {
          let file: BackupFile;
          try {
            file = await write('automatic');
          } catch (error) {
            // Closed mid-copy (its partial is removed as it stops): nothing failed.
            if (closed) return;
            throw error;
          }
          recordCreated(SYSTEM_ACTOR, file);
          logger.info('made the daily backup', { file: file.name, sizeBytes: file.sizeBytes });
        }
        prune(today);
      }),

    /**
     * Brings a checked backup's content, migrated on a copy, into the open store with SQLite's
     * online backup API, in one commit, after keeping the current store aside as a backup. Every session ends: the
     * restored store has its own users and passwords.
     */
    restore: (
      actor: Actor,
      name: string,
    ): Promise<{ restored: string; previousStoreKeptAs: string; statementsKept: string[] }> =>
      serially(async () => {
        const file = join(dir, name);
        if (!parseBackupName(name) || !existsSync(file))
          throw new AppError('NOT_FOUND', `There is no backup named ${name}.`);
        if (importsRunning()) {
          throw new AppError(
            'CONFLICT',
            'A usage import is running: restore once it has finished. The current store is unchanged.',
          );
        }
        const refuse = (problems: Check[]) =>
          new AppError(
            'VALIDATION',
            `Not restored: ${problems.map((p) => `${p.name}: ${p.detail}`).join('; ')}. The current store is unchanged.`,
          );
        const problems = checkBackupFile(file).filter((check) => !check.ok);
        if (problems.length > 0) throw refuse(problems);
        // Migrated on a copy first: a backup that cannot be brought up to date replaces nothing.
        const copy = `${file}.restoring.partial-${process.pid}`;
        const copyProblems = prepareRestoreCopy(file, copy);
        if (copyProblems.length > 0) throw refuse(copyProblems);
        // The day's first automatic backup of a new store is made before anyone has set it up:
        // restored over a store that has an owner, it would end every session and offer first-run
        // setup to whoever asks first. (A desktop store used without accounts has no owner either.)
        if (store.users.activeOwners() > 0 && !hasActiveOwner(copy)) {
          removeBackup(copy);
          throw new AppError(
            'VALIDATION',
            `Not restored: ${name} was made before Orgdeck was set up and has no owner to sign in as. Choose a later backup. The current store is unchanged.`,
          );
        }
        let aside: BackupFile;
        let statementsKept: string[] = [];
        let accessKept: AccessKept | undefined;
        const revisionBefore = store.billingRevision.current();
        try {
          aside = await write('before-restore');
          const carried = carryIssuedStatements(copy, dbFile);
          if (carried.problems.length > 0) throw refuse(carried.problems);
          statementsKept = carried.kept;
          const access = carryAccessAsToday(copy, dbFile, clock.now().toISOString());
          if (access.problems.length > 0) throw refuse(access.problems);
          accessKept = access.kept;
          const { source, done } = openForRestore(
            copy,
            sqliteOf(store).pragma('page_size', { simple: true }) as number,
          );
          try {
            await source.backup(dbFile, { progress: () => ALL_PAGES });
          } catch (error) {
            throw new AppError(
              'CONFLICT',
              `Not restored: ${(error as Error).message}. The current store is unchanged.`,
            );
          } finally {
            done();
          }
        } finally {
          removeBackup(copy);
        }
        // Synchronously from here: no request runs between the copy and these repairs.
        const now = clock.now().toISOString();
        store.transaction(() => {
          store.sessions.removeAll();
          // Imports the backup caught running are not running now (none may run during a restore).
          store.jobs.interruptAll(now);
          // Reports cache what they read until this revision moves; the backup's own revision may
          // be one they have seen, with other data.
          store.billingRevision.moveAbove(revisionBefore);
          audit.record(actor, {
            action: 'backup.restored',
            orgId: null,
            target: { type: 'backup', id: name },
            summary: { after: { from: name, previousStoreKeptAs: aside.name, statementsKept, accessKept } },
          });
        });
        sqliteOf(store).pragma('wal_checkpoint(TRUNCATE)');
        logger.info('restored a backup', { file: name, previousStoreKeptAs: aside.name });
        return { restored: name, previousStoreKeptAs: aside.name, statementsKept };
      }),

    /**
     * The store copied to `out` as it was when the copy began, on this thread: a reader's copy
     * for the writer (ReadsElsewhere.copySnapshot). Stops if this backend closes meanwhile.
     */
    copySnapshot,

    /** Before the store closes: work still queued finds it closed and makes nothing. */
    close(): void {
      closed = true;
    },
  };
}

export type BackupsService = ReturnType<typeof createBackupsService>;

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { statementsKeptSentence } from '../../../../shared/contract/backups';
import { plural } from '../../../../shared/domain/counts';
import { DATABASE_FILE, openBackend } from '../../backend';
import { removeBackup } from '../../backups/backup-files';
import { silentLogger } from '../../logger';
import { LOCAL_OWNER } from '../../services/principal';
import { openDatabase } from '../../store/database';
import {
  type Check,
  carryIssuedStatements,
  checkBackupFile,
  diagnose,
  diagnoseUnopenable,
  prepareRestoreCopy,
  storeOpenElsewhere,
  swapInStore,
} from '../../store/maintenance';
import { StoreTooNewError } from '../../store/migrate';
import { type AccessKept, carryAccessAsToday } from '../../store/restore-access';
import { sqliteOf } from '../../store/store';
import { CliFailure, localBackend } from '../cli-context';
import { type Command, str } from '../command';

const target = { type: 'store', id: DATABASE_FILE };

/** The doctor's checks of the store in `dataDir`, or why it cannot be opened and what the file holds. */
function doctorChecks(dataDir: string): Check[] {
  let backend: ReturnType<typeof openBackend>;
  try {
    backend = openBackend({ dataDir, logger: silentLogger, oneOff: true });
  } catch (error) {
    return diagnoseUnopenable(join(dataDir, DATABASE_FILE), error);
  }
  try {
    return diagnose(sqliteOf(backend.store), () => backend.store.audit.firstBroken());
  } finally {
    backend.close();
  }
}

export const backupCommands: Command[] = [
  {
    words: ['backup'],
    usage: 'backup --out FILE',
    summary:
      'Copy the store with SQLite’s online backup (safe while the console runs); FILE appears only once complete',
    options: { out: { type: 'string' } },
    where: 'local',
    sqliteOnly: true,
    async run({ values }, { local, io }) {
      const backend = localBackend(local);
      const out = str(values.out);
      if (!out) throw new CliFailure({ code: 'VALIDATION', message: 'Say where with --out FILE.' }, 2);
      if (existsSync(out))
        throw new CliFailure({ code: 'CONFLICT', message: `${out} exists already: choose a new file.` });
      // A snapshot: a console writing the store meanwhile neither waits for it nor restarts it.
      await backend.services.backups.copySnapshot(out);
      const [integrity] = checkBackupFile(out);
      backend.services.audit.record(LOCAL_OWNER, {
        action: 'backup.created',
        orgId: null,
        target,
        summary: { after: { file: resolve(out), integrity: integrity?.detail } },
      });
      io.out(`Backed up to ${out} (integrity ${integrity?.detail}).`);
    },
  },
  {
    words: ['restore'],
    usage: 'restore FILE',
    summary:
      'Replace the store with a backup after checking it and bringing a copy up to date; the current store is kept aside',
    options: {},
    positionals: 1,
    // Not the current store's backend: restoring is how a broken store is repaired.
    where: 'store',
    sqliteOnly: true,
    async run({ positionals }, { io, dataDir }) {
      const file = positionals[0];
      if (!file) throw new CliFailure({ code: 'VALIDATION', message: 'Name the backup file.' }, 2);
      const live = join(dataDir, DATABASE_FILE);
      const copy = `${live}.restoring.partial-${process.pid}`;
      const refuse = (problems: Check[]) =>
        new CliFailure({
          code: 'VALIDATION',
          message: `Not restored: ${problems.map((p) => `${p.name}: ${p.detail}`).join('; ')}. The current store is unchanged.`,
        });
      const openElsewhere = () =>
        new CliFailure({
          code: 'CONFLICT',
          message:
            'Not restored: the store is open in the desktop app, orgdeck serve or another command, which would go on with the store set aside. Quit it and run this again, or restore from the console (Settings, Backups). The current store is unchanged.',
        });
      if (storeOpenElsewhere(live)) throw openElsewhere();
      const problems = checkBackupFile(file).filter((check) => !check.ok);
      if (problems.length > 0) throw refuse(problems);
      const copyProblems = prepareRestoreCopy(file, copy);
      if (copyProblems.length > 0) throw refuse(copyProblems);
      // The statements issued since the backup are kept (see carryIssuedStatements). A store that
      // cannot be opened (brought up to date first, as the app would at its start) is replaced all
      // the same, saying so: restoring is how it is repaired. One that can, but whose statements
      // clash with the backup's, is not: that backup is another Orgdeck's.
      let notCarried: string | null = null;
      let statementsKept: string[] = [];
      let accessKept: AccessKept | undefined;
      if (existsSync(live)) {
        try {
          openDatabase(live).close();
        } catch (error) {
          // Written by a newer Orgdeck, not broken: the newer one reads it (and a restore here
          // would drop what it issued since the backup).
          if (error instanceof StoreTooNewError) {
            removeBackup(copy);
            throw new CliFailure({
              code: 'CONFLICT',
              message: `Not restored: ${error.message} The current store is unchanged.`,
            });
          }
          notCarried = (error as Error).message;
        }
        const carried = notCarried === null ? carryIssuedStatements(copy, live) : undefined;
        if (carried && carried.problems.length > 0) {
          removeBackup(copy);
          throw refuse(carried.problems);
        }
        statementsKept = carried?.kept ?? [];
        const access =
          notCarried === null ? carryAccessAsToday(copy, live, new Date().toISOString()) : undefined;
        if (access && access.problems.length > 0) {
          removeBackup(copy);
          throw refuse(access.problems);
        }
        accessKept = access?.kept;
      }
      // Again just before: checking and copying the backup took a while, and an app may have started.
      if (storeOpenElsewhere(live)) {
        removeBackup(copy);
        throw openElsewhere();
      }
      const aside = swapInStore(live, copy, new Date().toISOString().replaceAll(':', '-'));
      // No other process has the store (checked): what the backup caught under way was cut short.
      const restored = openBackend({ dataDir, logger: silentLogger });
      try {
        restored.store.transaction(() => {
          // As a restore in the console does: the backup's sessions may be ones signed out since.
          restored.store.sessions.removeAll();
          restored.services.audit.record(LOCAL_OWNER, {
            action: 'backup.restored',
            orgId: null,
            target,
            summary: {
              after: { from: resolve(file), previousStoreKeptAt: aside, statementsKept, accessKept },
            },
          });
        });
      } finally {
        restored.close();
      }
      io.out(`Restored ${file}. The previous store is kept at ${aside}.`);
      if (statementsKept.length > 0) io.out(statementsKeptSentence(statementsKept));
      if (notCarried !== null)
        io.err(
          `The statements issued since the backup could not be read from the previous store (${notCarried}): ` +
            'they are not in the restored one. Nor are the changes to sign-in made since (passwords, revoked ' +
            'tokens, disabled users, roles): check the users and API tokens.',
        );
    },
  },
  {
    words: ['doctor'],
    usage: 'doctor [--json]',
    summary:
      'Check integrity, migrations, the schema, foreign keys, the audit chain and orphan rows, and say what to do',
    options: {},
    // Opens the store itself: a store Orgdeck cannot open is what a doctor must report on.
    where: 'store',
    sqliteOnly: true,
    async run(_args, { io, json, dataDir }) {
      const checks = doctorChecks(dataDir);
      if (json) io.out(JSON.stringify(checks, null, 2));
      else {
        for (const check of checks) {
          io.out(
            `${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}${!check.ok && check.advice ? `\n      → ${check.advice}` : ''}`,
          );
        }
      }
      const failed = checks.filter((check) => !check.ok);
      if (failed.length > 0) {
        throw new CliFailure({
          code: 'CONFLICT',
          message: `${plural(failed.length, 'check')} failed: ${failed.map((c) => c.name).join(', ')}.`,
        });
      }
    },
  },
];

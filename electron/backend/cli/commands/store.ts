import { join } from 'node:path';
import { plural } from '../../../../shared/domain/counts';
import { DATABASE_FILE } from '../../backend';
import { StoreTooNewError } from '../../store/migrate';
import { copySqliteStoreToPostgres, StoreCopyError } from '../../store/postgres/copy-from-sqlite';
import { StoreNotMigratedError } from '../../store/postgres/migrate';
import { CliFailure } from '../cli-context';
import { type Command, str } from '../command';
import { postgresUrl } from './migrate';

/** A large table reports every this many rows, so a long copy shows it is moving. */
const PROGRESS_EVERY = 100_000;

export const storeCommands: Command[] = [
  {
    words: ['store', 'copy'],
    usage: 'store copy --from-data-dir DIR --to postgres://OWNER@HOST/DB [--json]',
    summary:
      'Copy a self-hosted SQLite store into an empty, migrated PostgreSQL database (every table, keeping ids), as its owner role, then verify row counts and the audit chain',
    options: { 'from-data-dir': { type: 'string' }, to: { type: 'string' } },
    // It reads a store file and connects to the database itself, never through a backend.
    where: 'store',
    async run({ values }, { io, json }) {
      const from = str(values['from-data-dir']);
      if (!from)
        throw new CliFailure(
          { code: 'VALIDATION', message: 'Name the store to copy with --from-data-dir DIR.' },
          2,
        );
      const to = postgresUrl(str(values.to), '--to postgres://OWNER@HOST/DB');
      const reported = new Map<string, number>();
      let report: Awaited<ReturnType<typeof copySqliteStoreToPostgres>>;
      try {
        report = await copySqliteStoreToPostgres({
          sqliteFile: join(from, DATABASE_FILE),
          postgresUrl: to,
          progress(table, rows, tableDone) {
            if (tableDone) io.err(`${table}: ${rows} ${rows === 1 ? 'row' : 'rows'}`);
            else if (rows - (reported.get(table) ?? 0) >= PROGRESS_EVERY) {
              reported.set(table, rows);
              io.err(`${table}: ${rows} rows so far…`);
            }
          },
        });
      } catch (error) {
        if (
          error instanceof StoreCopyError ||
          error instanceof StoreNotMigratedError ||
          error instanceof StoreTooNewError
        )
          throw new CliFailure({ code: 'CONFLICT', message: error.message });
        throw new CliFailure({
          code: 'UNAVAILABLE',
          message: `PostgreSQL refused the copy, which was rolled back: ${(error as Error).message}`,
        });
      }
      io.out(
        json
          ? JSON.stringify(report, null, 2)
          : [
              `Copied ${plural(report.rows, 'row')} in ${plural(report.tables.length, 'table')} to PostgreSQL.`,
              `Verified: every table's row count matches, and the audit chain holds (${plural(report.verified.auditEntries, 'entry', 'entries')}).`,
              `Not copied, by rule: ${report.skipped.join(', ') || 'none'} (SQLite's own; knowledge search is rebuilt from the documents).`,
            ].join('\n'),
      );
    },
  },
];

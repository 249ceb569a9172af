import { StoreTooNewError } from '../../store/migrate';
import { migratePostgresDatabase } from '../../store/postgres/migrate';
import { UnsafeServerRoleError } from '../../store/postgres/server-role';
import { CliFailure } from '../cli-context';
import { type Command, str } from '../command';

/** Where `--database` is read from when the flag is not given (every store command will share it). */
export const DATABASE_ENV = 'ORGDECK_DATABASE_URL';
const DEFAULT_SERVER_ROLE = 'orgdeck_server';

/** A PostgreSQL connection string the user gave (`howToName` says how), or a usage error. */
export function postgresUrl(url: string | undefined, howToName: string): string {
  if (!url) throw new CliFailure({ code: 'VALIDATION', message: `Name the database with ${howToName}.` }, 2);
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new CliFailure(
      { code: 'VALIDATION', message: 'The database URL must start with postgres:// or postgresql://.' },
      2,
    );
  return url;
}

export const migrateCommand: Command = {
  words: ['migrate'],
  usage: 'migrate --database URL [--server-role NAME]',
  summary: `Bring a PostgreSQL database to this version's schema, as the role that owns it (URL also from ${DATABASE_ENV}), and grant the role \`serve\` connects as (default ${DEFAULT_SERVER_ROLE})`,
  options: { database: { type: 'string' }, 'server-role': { type: 'string' } },
  // It works on a database it connects to itself, never through a backend or a --remote server.
  where: 'store',
  async run({ values }, { io, json }) {
    const url = postgresUrl(
      str(values.database) ?? process.env[DATABASE_ENV],
      `--database postgres://… (or ${DATABASE_ENV})`,
    );
    const serverRole = str(values['server-role']) ?? DEFAULT_SERVER_ROLE;
    let done: Awaited<ReturnType<typeof migratePostgresDatabase>>;
    try {
      done = await migratePostgresDatabase(url, serverRole);
    } catch (error) {
      if (error instanceof StoreTooNewError || error instanceof UnsafeServerRoleError)
        throw new CliFailure({ code: 'CONFLICT', message: error.message });
      throw new CliFailure({
        code: 'UNAVAILABLE',
        message: `PostgreSQL refused the migration: ${(error as Error).message}`,
      });
    }
    io.out(
      json
        ? JSON.stringify(done)
        : done.from === done.to
          ? `The schema is current (version ${done.to}); ${done.serverRole} has its grants.`
          : `Migrated the schema from version ${done.from} to ${done.to}; ${done.serverRole} has its grants.`,
    );
  },
};

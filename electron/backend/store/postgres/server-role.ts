import type pg from 'pg';

/**
 * Tables the server role may not change freely: the audit trail is append-only, and an issued
 * statement changes only by being voided. Every other table gets read and write.
 */
const LIMITED_GRANTS: Record<string, string> = {
  audit_events: 'SELECT, INSERT',
  statements: 'SELECT, INSERT, UPDATE (voided_by)',
  statement_lines: 'SELECT, INSERT',
  orgdeck_schema: 'SELECT',
};

export class UnsafeServerRoleError extends Error {
  constructor(role: string, why: string) {
    super(`The server role ${role} ${why}; row-level security would not hold for it. ${HINT}`);
    this.name = 'UnsafeServerRoleError';
  }
}

const HINT = 'Create it as in docs/postgres.md: CREATE ROLE orgdeck_server LOGIN PASSWORD …;';

/**
 * Grants the role `serve` logs in as what it needs, after refusing a role for which row-level
 * security would not hold: a superuser, a BYPASSRLS role, or one that owns tables (or is us).
 * Idempotent: `migrate` runs it every time, so tables a migration adds are granted too.
 */
export async function grantServerRole(client: pg.ClientBase, role: string): Promise<void> {
  const found = await client.query<{
    rolsuper: boolean;
    rolbypassrls: boolean;
    is_me: boolean;
    owns: string;
  }>(
    `SELECT r.rolsuper, r.rolbypassrls, r.rolname = current_user AS is_me,
            (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p')
               AND c.relnamespace = 'public'::regnamespace) AS owns
     FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  const row = found.rows[0];
  if (!row) throw new UnsafeServerRoleError(role, 'does not exist');
  if (row.is_me)
    throw new UnsafeServerRoleError(role, 'is the role running the migrations, which owns the tables');
  if (row.rolsuper) throw new UnsafeServerRoleError(role, 'is a superuser');
  if (row.rolbypassrls) throw new UnsafeServerRoleError(role, 'has BYPASSRLS');
  if (Number(row.owns) > 0) throw new UnsafeServerRoleError(role, 'owns tables');

  const quoted = (await client.query<{ q: string }>('SELECT quote_ident($1) AS q', [role])).rows[0]?.q ?? '';
  const tables = await client.query<{ name: string; quoted: string }>(
    "SELECT tablename AS name, quote_ident(tablename) AS quoted FROM pg_tables WHERE schemaname = 'public'",
  );
  await client.query('BEGIN');
  try {
    await client.query(`GRANT USAGE ON SCHEMA public TO ${quoted}`);
    for (const table of tables.rows) {
      const grants = LIMITED_GRANTS[table.name] ?? 'SELECT, INSERT, UPDATE, DELETE';
      await client.query(`REVOKE ALL ON TABLE ${table.quoted} FROM ${quoted}`);
      await client.query(`GRANT ${grants} ON TABLE ${table.quoted} TO ${quoted}`);
    }
    await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${quoted}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

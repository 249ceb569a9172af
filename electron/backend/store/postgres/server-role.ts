import type pg from 'pg';

/**
 * Tables the server role may not change freely: the audit trail is append-only, and an issued
 * statement changes only by being voided. Every other table gets read and write.
 */
const LIMITED_GRANTS: Record<string, string> = {
  audit_events: 'SELECT, INSERT',
  statements: 'SELECT, INSERT, UPDATE (voided_by)',
  statement_lines: 'SELECT, INSERT',
  // Written with the org an archive brings, gone with it (the foreign key's cascade, as the owner).
  months_closed_at_source: 'SELECT, INSERT',
  orgdeck_schema: 'SELECT',
  // One row, moved forward by every audited write.
  audit_chain_head: 'SELECT, UPDATE',
};

const HOW_TO_CREATE = 'Create it as docs/postgres.md says: CREATE ROLE orgdeck_server LOGIN PASSWORD …;';

export class UnsafeServerRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeServerRoleError';
  }
}

/** Why row-level security would not hold for `role`, or undefined when it would. */
async function unsafeBecause(client: pg.ClientBase, role: string): Promise<string | undefined> {
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
  if (!row) return `The server role ${role} does not exist. ${HOW_TO_CREATE}`;
  const reason = row.is_me
    ? 'is the role running the migrations, which owns the tables'
    : row.rolsuper
      ? 'is a superuser'
      : row.rolbypassrls
        ? 'has BYPASSRLS'
        : Number(row.owns) > 0
          ? 'owns tables'
          : undefined;
  return (
    reason && `The server role ${role} ${reason}; row-level security would not hold for it. ${HOW_TO_CREATE}`
  );
}

/**
 * Grants the role `serve` logs in as what it needs, after refusing a role for which row-level
 * security would not hold. Idempotent: `migrate` runs it every time, so tables a migration adds
 * are granted too.
 */
export async function grantServerRole(client: pg.ClientBase, role: string): Promise<void> {
  const unsafe = await unsafeBecause(client, role);
  if (unsafe) throw new UnsafeServerRoleError(unsafe);
  const grantee = client.escapeIdentifier(role);
  const tables = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  await client.query('BEGIN');
  try {
    await client.query(`GRANT USAGE ON SCHEMA public TO ${grantee}`);
    for (const { name } of tables.rows) {
      const table = client.escapeIdentifier(name);
      await client.query(`REVOKE ALL ON TABLE ${table} FROM ${grantee}`);
      await client.query(
        `GRANT ${LIMITED_GRANTS[name] ?? 'SELECT, INSERT, UPDATE, DELETE'} ON TABLE ${table} TO ${grantee}`,
      );
    }
    await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${grantee}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

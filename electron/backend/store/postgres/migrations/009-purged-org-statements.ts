import type { PostgresMigration } from '../migrate';

/**
 * Listed by the call, or, for a call that sees every org, of an org purged since (none has the id).
 * The orgs are read once per statement, as migration 8 has every policy do.
 */
const listedOrPurged = `(org_id = ANY ((SELECT orgdeck_org_ids())::text[])
  OR ((SELECT orgdeck_msp_wide()) AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = org_id)))`;

/**
 * An issued statement outlives its org's purge (it has no foreign key to orgs) and stays listed,
 * under the name it was issued to, as on SQLite: a call that sees every org (owner, admin) reads
 * the statements and lines of orgs that no longer exist; any other call still only its own orgs'.
 */
export const purgedOrgStatements: PostgresMigration = {
  version: 9,
  name: 'Statements of purged orgs stay readable by calls that see every org',
  sql: ['statements', 'statement_lines']
    .map(
      (table) => `
    DROP POLICY org_rows ON ${table};
    CREATE POLICY org_rows ON ${table} USING ${listedOrPurged} WITH CHECK ${listedOrPurged};`,
    )
    .join('\n'),
};

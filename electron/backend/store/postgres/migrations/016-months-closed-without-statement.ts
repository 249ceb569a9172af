import type { PostgresMigration } from '../migrate';

const LISTED = 'org_id = ANY ((SELECT orgdeck_org_ids())::text[])';

/** As SQLite's migration 28: a month closed for an org that had nothing to bill, guarded like its statements. */
export const monthsClosedWithoutStatement: PostgresMigration = {
  version: 16,
  name: 'Months closed for an org that had nothing to bill, so later changes to them are billed',
  sql: `
    CREATE TABLE months_closed_without_statement (
      org_id    text NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      month     text NOT NULL,
      closed_at text NOT NULL,
      PRIMARY KEY (org_id, month)
    );
    ALTER TABLE months_closed_without_statement ENABLE ROW LEVEL SECURITY;
    ALTER TABLE months_closed_without_statement FORCE ROW LEVEL SECURITY;
    CREATE POLICY org_rows ON months_closed_without_statement USING (${LISTED}) WITH CHECK (${LISTED});
  `,
};

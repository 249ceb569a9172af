import type { PostgresMigration } from '../migrate';

const LISTED = 'org_id = ANY ((SELECT orgdeck_org_ids())::text[])';

/** As SQLite's migration 31: the months an org's source install closed, guarded like its statements. */
export const monthsClosedAtSource: PostgresMigration = {
  version: 20,
  name: 'Months the install an org was moved from had closed for it, so they are not billed again',
  sql: `
    CREATE TABLE months_closed_at_source (
      org_id           text NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      month            text NOT NULL,
      closed_at        text NOT NULL,
      statement_number text,
      PRIMARY KEY (org_id, month)
    );
    ALTER TABLE months_closed_at_source ENABLE ROW LEVEL SECURITY;
    ALTER TABLE months_closed_at_source FORCE ROW LEVEL SECURITY;
    CREATE POLICY org_rows ON months_closed_at_source USING (${LISTED}) WITH CHECK (${LISTED});
  `,
};

import type { Migration } from '../migrate';

export const monthsClosedWithoutStatement: Migration = {
  version: 28,
  name: 'months closed for an org that had nothing to bill, so later changes to them are billed',
  sql: `
    -- Closing a month issues no statement to an org with nothing to bill. That month is still
    -- closed for it: a late import or a backdated move that gives it charges is an adjustment on the
    -- org's next statement, as for a month that was billed (it was never billed before).
    CREATE TABLE months_closed_without_statement (
      org_id    TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      month     TEXT NOT NULL,
      closed_at TEXT NOT NULL,
      PRIMARY KEY (org_id, month)
    ) STRICT;
  `,
};

import type { Migration } from '../migrate';

export const monthsClosedAtSource: Migration = {
  version: 31,
  name: 'months the install an org was moved from had closed for it, so they are not billed again',
  sql: `
    -- An org archive carries the months its source install closed (billed on a statement, or closed
    -- with nothing to bill), not the statements: those are numbered in the source's sequence and
    -- stay there. Closing such a month here would bill the client a second time, so it is refused.
    -- statement_number is the source's statement, NULL for a month it closed with nothing to bill.
    CREATE TABLE months_closed_at_source (
      org_id           TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      month            TEXT NOT NULL,
      closed_at        TEXT NOT NULL,
      statement_number TEXT,
      PRIMARY KEY (org_id, month)
    ) STRICT;
  `,
};

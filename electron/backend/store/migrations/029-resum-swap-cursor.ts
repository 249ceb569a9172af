import type { Migration } from '../migrate';

export const resumSwapCursor: Migration = {
  version: 29,
  name: 'a re-summed month puts its new sums in place some orgs per write, resumed after a restart',
  sql: `
    -- Once every day of a re-summed month is summed, its new sums go in place of the old an org
    -- range per write: next_org is the first org (usage_refs id) not yet swapped. Versions before
    -- swapped a month in one write, so none is ever part-way.
    ALTER TABLE usage_month_resums ADD COLUMN next_org INTEGER NOT NULL DEFAULT 0;
  `,
};

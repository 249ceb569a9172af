import type { Migration } from '../migrate';

export const usageRelabels: Migration = {
  version: 21,
  name: 'Usage relabels: a re-pricing moves monthly sums to the new price a month per write, resumed after a restart',
  sql: `
    -- A model's monthly sums from next_month through to_month (yyyymm) labelled old_price still
    -- move to new_price: a re-pricing writes a month at a time, so other writes run between.
    CREATE TABLE usage_relabels (
      id INTEGER PRIMARY KEY,
      model INTEGER NOT NULL,
      next_month INTEGER NOT NULL,
      to_month INTEGER NOT NULL,
      old_price INTEGER NOT NULL,
      new_price INTEGER NOT NULL
    ) STRICT;
  `,
};

import type { Migration } from '../migrate';

export const usageMonthResums: Migration = {
  version: 25,
  name: 'Usage month re-sums: a re-pricing from mid-month sums that month again a few thousand rows per write',
  sql: `
    -- A model's month (yyyymm) a re-pricing from mid-month sums again from its daily rows, each day
    -- in its price period: a few thousand rows per write (day next_day, rows above next_row on),
    -- into usage_month_resum_sums, then one write puts the new sums in place of the month's. Daily
    -- rows above last_row were written after it began, and summed already: that write adds them as
    -- they are. Resumed after a restart.
    CREATE TABLE usage_month_resums (
      id       INTEGER PRIMARY KEY,
      model    INTEGER NOT NULL,
      month    INTEGER NOT NULL,
      next_day INTEGER NOT NULL,
      next_row INTEGER NOT NULL DEFAULT 0,
      last_row INTEGER NOT NULL
    ) STRICT;
    -- The month's new sums so far, keyed as usage_months is within one model's month.
    CREATE TABLE usage_month_resum_sums (
      resum                 INTEGER NOT NULL REFERENCES usage_month_resums (id) ON DELETE CASCADE,
      org                   INTEGER NOT NULL,
      agent                 INTEGER NOT NULL,
      price                 INTEGER NOT NULL,
      tier                  INTEGER NOT NULL,
      band                  INTEGER NOT NULL,
      input_tokens          INTEGER NOT NULL,
      output_tokens         INTEGER NOT NULL,
      cache_read_tokens     INTEGER NOT NULL,
      cache_write_tokens    INTEGER NOT NULL,
      cache_write_1h_tokens INTEGER NOT NULL,
      reasoning_tokens      INTEGER NOT NULL,
      records               INTEGER NOT NULL,
      PRIMARY KEY (resum, org, agent, price, tier, band)
    ) STRICT, WITHOUT ROWID;
  `,
};

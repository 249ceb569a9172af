import type { Migration } from '../migrate';

const TOKEN_SUMS = `input_tokens          INTEGER NOT NULL,
      output_tokens         INTEGER NOT NULL,
      cache_read_tokens     INTEGER NOT NULL,
      cache_write_tokens    INTEGER NOT NULL,
      cache_write_1h_tokens INTEGER NOT NULL,
      reasoning_tokens      INTEGER NOT NULL,
      records               INTEGER NOT NULL`;

const bumps = (table: string) =>
  ['INSERT', 'UPDATE', 'DELETE']
    .map(
      (event) => `CREATE TRIGGER ${table}_${event.toLowerCase()}_bumps_revision AFTER ${event} ON ${table}
      BEGIN UPDATE billing_revision SET n = n + 1; END;`,
    )
    .join('\n    ');

export const tokenCategories: Migration = {
  version: 14,
  name: 'prices and usage by token category, service tier and long-context band',
  sql: `
    -- A price period's rates beyond its standard input and output (model_prices): per category, tier
    -- and band (the threshold in prompt tokens per request it applies above; 0 for no band).
    CREATE TABLE model_price_rates (
      price    INTEGER NOT NULL REFERENCES model_prices (id) ON DELETE CASCADE,
      category TEXT NOT NULL
        CHECK (category IN ('input', 'output', 'cache_read', 'cache_write', 'cache_write_1h', 'reasoning')),
      tier     TEXT NOT NULL CHECK (tier IN ('standard', 'batch', 'flex', 'priority')),
      above    INTEGER NOT NULL CHECK (above >= 0),
      pico     INTEGER NOT NULL CHECK (pico >= 0),
      CHECK (NOT (category IN ('input', 'output') AND tier = 'standard' AND above = 0)),
      PRIMARY KEY (price, category, tier, above)
    ) STRICT, WITHOUT ROWID;
    ${bumps('model_price_rates')}

    -- Daily rows gain the other categories, the tier (0 standard, 1 batch, 2 flex, 3 priority) and
    -- the band the rows were priced in (its threshold, 0 for none), decided when they were imported.
    ALTER TABLE usage_days ADD COLUMN cache_read_tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_days ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_days ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_days ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_days ADD COLUMN tier INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE usage_days ADD COLUMN band INTEGER NOT NULL DEFAULT 0;

    -- Monthly sums are keyed by tier and band too: a primary key only changes by copying.
    CREATE TABLE usage_months_new (
      month INTEGER NOT NULL,
      org   INTEGER NOT NULL,
      agent INTEGER NOT NULL,
      model INTEGER NOT NULL,
      price INTEGER NOT NULL,
      tier  INTEGER NOT NULL,
      band  INTEGER NOT NULL,
      ${TOKEN_SUMS},
      PRIMARY KEY (month, org, agent, model, price, tier, band)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO usage_months_new
      SELECT month, org, agent, model, price, 0, 0, input_tokens, output_tokens, 0, 0, 0, 0, records
      FROM usage_months;
    DROP TABLE usage_months;
    ALTER TABLE usage_months_new RENAME TO usage_months;

    CREATE TABLE usage_org_months_new (
      month INTEGER NOT NULL,
      org   INTEGER NOT NULL,
      model INTEGER NOT NULL,
      price INTEGER NOT NULL,
      tier  INTEGER NOT NULL,
      band  INTEGER NOT NULL,
      ${TOKEN_SUMS},
      PRIMARY KEY (month, org, model, price, tier, band)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO usage_org_months_new
      SELECT month, org, model, price, 0, 0, input_tokens, output_tokens, 0, 0, 0, 0, records
      FROM usage_org_months;
    DROP TABLE usage_org_months;
    ALTER TABLE usage_org_months_new RENAME TO usage_org_months;
  `,
};

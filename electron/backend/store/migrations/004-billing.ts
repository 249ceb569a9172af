import type { Migration } from '../migrate';

export const billing: Migration = {
  version: 4,
  name: 'model prices, org inactivity history, usage rollups, import jobs and budgets',
  sql: `
    -- Prices in pico-USD per token (= micro-USD per million tokens), effective from a UTC day.
    CREATE TABLE model_prices (
      id             INTEGER PRIMARY KEY,
      model          TEXT NOT NULL,
      effective_from TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      input_pico     INTEGER NOT NULL CHECK (input_pico >= 0),
      output_pico    INTEGER NOT NULL CHECK (output_pico >= 0),
      source         TEXT NOT NULL DEFAULT 'manual',
      created_at     TEXT NOT NULL,
      UNIQUE (model, effective_from)
    ) STRICT;

    -- Spans an org was inactive, [from_at, to_at); to_at NULL while it still is.
    CREATE TABLE org_inactive_periods (
      id      INTEGER PRIMARY KEY,
      org_id  TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      from_at TEXT NOT NULL,
      to_at   TEXT,
      CHECK (to_at IS NULL OR to_at > from_at)
    ) STRICT;
    CREATE INDEX org_inactive_periods_org ON org_inactive_periods (org_id, from_at);
    INSERT INTO org_inactive_periods (org_id, from_at)
      SELECT id, updated_at FROM orgs WHERE active = 0;

    ALTER TABLE orgs ADD COLUMN budget_micros INTEGER CHECK (budget_micros IS NULL OR budget_micros >= 0);

    -- One row per usage record ever imported: a 64-bit hash of its id, or of its content.
    CREATE TABLE usage_seen (key INTEGER PRIMARY KEY) STRICT;

    -- Rollups are derived data, written at import speed: WITHOUT ROWID tables keyed by what is summed,
    -- with org_key '' for unattributed usage and no foreign keys (orgs-service deletes a purged org's).
    -- Token sums per model, UTC day, agent and org: what monthly sums are rebuilt from when prices change.
    CREATE TABLE usage_daily (
      model         TEXT NOT NULL,
      day           TEXT NOT NULL,
      agent_id      TEXT NOT NULL,
      org_key       TEXT NOT NULL,
      input_tokens  INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      records       INTEGER NOT NULL,
      PRIMARY KEY (model, day, agent_id, org_key)
    ) STRICT, WITHOUT ROWID;

    -- The same per month and price period ('' = no price), so a month's report reads one small slice.
    CREATE TABLE usage_monthly (
      month         TEXT NOT NULL,
      org_key       TEXT NOT NULL,
      agent_id      TEXT NOT NULL,
      model         TEXT NOT NULL,
      price_from    TEXT NOT NULL,
      input_tokens  INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      records       INTEGER NOT NULL,
      PRIMARY KEY (month, org_key, agent_id, model, price_from)
    ) STRICT, WITHOUT ROWID;

    -- Bumped by every change a revenue figure depends on, so reports can keep what they loaded.
    CREATE TABLE billing_revision (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL) STRICT;
    INSERT INTO billing_revision VALUES (1, 0);
    CREATE TRIGGER orgs_insert_bumps_revision AFTER INSERT ON orgs
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER orgs_update_bumps_revision AFTER UPDATE ON orgs
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER orgs_delete_bumps_revision AFTER DELETE ON orgs
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER agents_insert_bumps_revision AFTER INSERT ON agents
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER agents_update_bumps_revision AFTER UPDATE ON agents
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER agents_delete_bumps_revision AFTER DELETE ON agents
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER agent_assignments_insert_bumps_revision AFTER INSERT ON agent_assignments
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER agent_assignments_update_bumps_revision AFTER UPDATE ON agent_assignments
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER agent_assignments_delete_bumps_revision AFTER DELETE ON agent_assignments
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER org_inactive_periods_insert_bumps_revision AFTER INSERT ON org_inactive_periods
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER org_inactive_periods_update_bumps_revision AFTER UPDATE ON org_inactive_periods
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER org_inactive_periods_delete_bumps_revision AFTER DELETE ON org_inactive_periods
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER model_prices_insert_bumps_revision AFTER INSERT ON model_prices
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER model_prices_update_bumps_revision AFTER UPDATE ON model_prices
      BEGIN UPDATE billing_revision SET n = n + 1; END;
    CREATE TRIGGER model_prices_delete_bumps_revision AFTER DELETE ON model_prices
      BEGIN UPDATE billing_revision SET n = n + 1; END;

    CREATE TABLE import_jobs (
      id          TEXT PRIMARY KEY,
      kind        TEXT NOT NULL,
      file_name   TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
      bytes_total INTEGER NOT NULL,
      bytes_done  INTEGER NOT NULL DEFAULT 0,
      rows_read   INTEGER NOT NULL DEFAULT 0,
      imported    INTEGER NOT NULL DEFAULT 0,
      skipped     INTEGER NOT NULL DEFAULT 0,
      bad         INTEGER NOT NULL DEFAULT 0,
      bad_rows    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(bad_rows)),
      error       TEXT,
      actor_label TEXT NOT NULL,
      -- The process running it: a job whose process is gone was interrupted.
      pid         INTEGER NOT NULL,
      started_at  TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;
  `,
};

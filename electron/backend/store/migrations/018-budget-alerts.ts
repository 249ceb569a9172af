import type { Migration } from '../migrate';

export const budgetAlerts: Migration = {
  version: 18,
  name: 'Budget alerts: thresholds per org, alerts raised once per org, month, threshold and kind, webhook deliveries',
  sql: `
    -- Percentages of the monthly budget an org is alerted at, ascending, as a JSON array.
    ALTER TABLE orgs ADD COLUMN alert_thresholds TEXT NOT NULL DEFAULT '[80,100]';

    -- One row per org, UTC month, threshold and kind: raised when use reaches the threshold,
    -- resolved when it falls back under it, raised again (the same row) if it climbs back.
    -- kind 'actual': the cost so far; 'forecast': the month's forecast cost, while the cost so far is under.
    CREATE TABLE budget_alerts (
      id          INTEGER PRIMARY KEY,
      org_id      TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      month       TEXT NOT NULL,
      threshold   INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 1000),
      kind        TEXT NOT NULL CHECK (kind IN ('actual', 'forecast')),
      -- The share of the budget used (or forecast) when last checked, to 4 decimals ("0.8512").
      budget_use  TEXT NOT NULL,
      -- A forecast's UTC day the threshold is reached; null for actual alerts.
      reached_on  TEXT,
      raised_at   TEXT NOT NULL,
      resolved_at TEXT,
      UNIQUE (org_id, month, threshold, kind)
    ) STRICT;
    CREATE INDEX budget_alerts_open ON budget_alerts (month, resolved_at);

    -- Each alert event sent to the team server's webhook: what was sent, and how it went.
    CREATE TABLE webhook_deliveries (
      id              INTEGER PRIMARY KEY,
      org_id          TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      alert_id        INTEGER NOT NULL REFERENCES budget_alerts (id) ON DELETE CASCADE,
      event           TEXT NOT NULL CHECK (event IN ('raised', 'resolved')),
      url             TEXT NOT NULL,
      body            TEXT NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      last_status     INTEGER,
      last_error      TEXT,
      next_attempt_at TEXT,
      created_at      TEXT NOT NULL,
      delivered_at    TEXT
    ) STRICT;
    CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, next_attempt_at);
  `,
};

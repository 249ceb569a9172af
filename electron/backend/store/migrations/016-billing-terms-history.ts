import type { Migration } from '../migrate';

const bumps = (table: string) =>
  ['INSERT', 'UPDATE', 'DELETE']
    .map(
      (event) => `CREATE TRIGGER ${table}_${event.toLowerCase()}_bumps_revision AFTER ${event} ON ${table}
      BEGIN UPDATE billing_revision SET n = n + 1; END;`,
    )
    .join('\n    ');

export const billingTermsHistory: Migration = {
  version: 16,
  name: 'Billing terms with history: dated org rates, billing modes, usage markups, allowances, minimums and agent rates',
  sql: `
    -- An org's billing terms as dated changes, each in effect from 00:00 UTC of effective_from (a
    -- UTC day) until the same term's next change. Before an org's first change of a term, the
    -- orgs row's rate and billing mode hold (so existing rates stay in effect from the beginning);
    -- the usage terms have no such value: no markup (usage not rebilled), no allowance, no minimum.
    CREATE TABLE org_terms (
      org_id         TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      term           TEXT NOT NULL
                     CHECK (term IN ('rate', 'billing_mode', 'usage_markup', 'included_usage', 'minimum')),
      effective_from TEXT NOT NULL,
      -- micro-USD for rate, included_usage and minimum; basis points (1/100 %) for usage_markup,
      -- NULL there meaning "usage not rebilled from this day".
      amount         INTEGER,
      mode           TEXT CHECK (mode IN ('prorated', 'full_month')),
      created_at     TEXT NOT NULL,
      CHECK ((term = 'billing_mode') = (mode IS NOT NULL)),
      CHECK (term IN ('billing_mode', 'usage_markup') OR amount IS NOT NULL),
      PRIMARY KEY (org_id, term, effective_from)
    ) STRICT;

    -- An agent's own rate from a UTC day on; NULL goes back to the org's rate. Before the first
    -- change, the agents row's rate holds.
    CREATE TABLE agent_rates (
      agent_id       TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
      effective_from TEXT NOT NULL,
      rate_micros    INTEGER,
      created_at     TEXT NOT NULL,
      PRIMARY KEY (agent_id, effective_from)
    ) STRICT;

    -- A model's markup for one org from a UTC day on, replacing the org's usage markup for that
    -- model's usage; NULL goes back to the org's markup.
    CREATE TABLE org_model_markups (
      org_id         TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      model          TEXT NOT NULL,
      effective_from TEXT NOT NULL,
      markup_bp      INTEGER,
      created_at     TEXT NOT NULL,
      PRIMARY KEY (org_id, model, effective_from)
    ) STRICT;

    ${bumps('org_terms')}
    ${bumps('agent_rates')}
    ${bumps('org_model_markups')}
  `,
};

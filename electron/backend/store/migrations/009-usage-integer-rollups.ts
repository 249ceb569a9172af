import type { Migration } from '../migrate';

/** The model_prices row in effect on usage day `day` (days since 1970-01-01) of model name `name`, or 0. */
const PRICE_AT = (name: string, day: string) => `ifnull((SELECT p.id FROM model_prices p
  WHERE p.model = ${name} AND p.effective_from <= date(${day} * 86400, 'unixepoch')
  ORDER BY p.effective_from DESC LIMIT 1), 0)`;

export const usageIntegerRollups: Migration = {
  version: 9,
  name: 'usage rollups keyed by integers, appended per import batch',
  sql: `
    -- Integer names for the agents, orgs and models usage refers to: the usage tables hold millions
    -- of rows, and a UUID in each would make them several times larger and slower to write.
    CREATE TABLE usage_refs (
      id   INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('agent', 'org', 'model')),
      name TEXT NOT NULL,
      UNIQUE (kind, name)
    ) STRICT;

    -- Token sums per model, UTC day (days since 1970-01-01), agent and org (0: in no org), as each
    -- import batch adds them: a key may have several rows. Appending keeps an import's writes
    -- sequential whatever the order of its file; monthly sums are rebuilt from here when prices change.
    CREATE TABLE usage_days (
      model         INTEGER NOT NULL,
      day           INTEGER NOT NULL,
      agent         INTEGER NOT NULL,
      org           INTEGER NOT NULL,
      input_tokens  INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      records       INTEGER NOT NULL
    ) STRICT;
    -- New rows join the end of their (model, day) run, so a batch touches few index pages.
    CREATE INDEX usage_days_model_day ON usage_days (model, day);

    -- Sums per month (yyyymm), org, agent, model and price (model_prices.id; 0 when it had none).
    CREATE TABLE usage_months (
      month         INTEGER NOT NULL,
      org           INTEGER NOT NULL,
      agent         INTEGER NOT NULL,
      model         INTEGER NOT NULL,
      price         INTEGER NOT NULL,
      input_tokens  INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      records       INTEGER NOT NULL,
      PRIMARY KEY (month, org, agent, model, price)
    ) STRICT, WITHOUT ROWID;

    -- The same without the agent, so trends and per-model costs over every org read few rows.
    CREATE TABLE usage_org_months (
      month         INTEGER NOT NULL,
      org           INTEGER NOT NULL,
      model         INTEGER NOT NULL,
      price         INTEGER NOT NULL,
      input_tokens  INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      records       INTEGER NOT NULL,
      PRIMARY KEY (month, org, model, price)
    ) STRICT, WITHOUT ROWID;

    INSERT INTO usage_refs (kind, name)
      SELECT 'model', model FROM usage_daily
      UNION SELECT 'agent', agent_id FROM usage_daily
      UNION SELECT 'org', org_key FROM usage_daily WHERE org_key <> '';
    INSERT INTO usage_days (model, day, agent, org, input_tokens, output_tokens, records)
      SELECT m.id, unixepoch(d.day) / 86400, a.id, ifnull(o.id, 0), d.input_tokens, d.output_tokens, d.records
      FROM usage_daily d
      JOIN usage_refs m ON m.kind = 'model' AND m.name = d.model
      JOIN usage_refs a ON a.kind = 'agent' AND a.name = d.agent_id
      LEFT JOIN usage_refs o ON o.kind = 'org' AND o.name = d.org_key
      ORDER BY 1, 2;
    INSERT INTO usage_months (month, org, agent, model, price, input_tokens, output_tokens, records)
      SELECT CAST(strftime('%Y%m', d.day * 86400, 'unixepoch') AS INTEGER), d.org, d.agent, d.model,
             ${PRICE_AT('m.name', 'd.day')}, sum(d.input_tokens), sum(d.output_tokens), sum(d.records)
      FROM usage_days d JOIN usage_refs m ON m.id = d.model
      GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO usage_org_months (month, org, model, price, input_tokens, output_tokens, records)
      SELECT month, org, model, price, sum(input_tokens), sum(output_tokens), sum(records)
      FROM usage_months GROUP BY 1, 2, 3, 4;
    DROP TABLE usage_daily;
    DROP TABLE usage_monthly;
  `,
};

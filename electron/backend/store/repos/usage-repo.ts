import type { Db } from '../database';

/** Token and cost sums of a slice of usage; integers come back as BigInt so costs stay exact. */
export interface UsageSum {
  input_tokens: bigint;
  output_tokens: bigint;
  unpriced_tokens: bigint;
  cost_pico: bigint;
}

/** org_key in the rollups: the org's id, or '' for usage of an agent that was in no org. */
export const UNATTRIBUTED = '';

/** The price period of a day: the latest effective_from on or before it, '' when the model has no price. */
const PRICE_FROM = `ifnull((SELECT max(p.effective_from) FROM model_prices p
  WHERE p.model = d.model AND p.effective_from <= d.day), '')`;

/** Sums with cost priced per row at its period's price; a row without a price counts as unpriced. */
const SUMS = `sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
  sum(CASE WHEN p.id IS NULL THEN u.input_tokens + u.output_tokens ELSE 0 END) AS unpriced_tokens,
  sum(CASE WHEN p.id IS NULL THEN 0 ELSE u.input_tokens * p.input_pico + u.output_tokens * p.output_pico END) AS cost_pico
  FROM usage_monthly u LEFT JOIN model_prices p ON p.model = u.model AND p.effective_from = u.price_from`;

export function createUsageRepo(db: Db) {
  const seen = db.prepare<[bigint]>('INSERT OR IGNORE INTO usage_seen (key) VALUES (?)');
  const addDaily = db.prepare<[string, string, string, string, number, number, number]>(
    `INSERT INTO usage_daily (model, day, agent_id, org_key, input_tokens, output_tokens, records) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens, records = records + excluded.records`,
  );
  const addMonthly = db.prepare<[string, string, string, string, string, number, number, number]>(
    `INSERT INTO usage_monthly (month, org_key, agent_id, model, price_from, input_tokens, output_tokens, records)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens, records = records + excluded.records`,
  );
  const clearMonthly = db.prepare<{ model: string }>('DELETE FROM usage_monthly WHERE model = :model');
  const rebuildMonthly = db.prepare<{ model: string }>(
    `INSERT INTO usage_monthly (month, org_key, agent_id, model, price_from, input_tokens, output_tokens, records)
     SELECT substr(d.day, 1, 7), d.org_key, d.agent_id, d.model, ${PRICE_FROM},
            sum(d.input_tokens), sum(d.output_tokens), sum(d.records)
     FROM usage_daily d WHERE d.model = :model
     GROUP BY 1, 2, 3, 4, 5`,
  );
  const byAgent = db
    .prepare<{ month: string }, UsageSum & { org_key: string; agent_id: string }>(
      `SELECT u.org_key, u.agent_id, ${SUMS} WHERE u.month = :month GROUP BY u.org_key, u.agent_id`,
    )
    .safeIntegers();
  const byAgentOfOrg = db
    .prepare<{ month: string; org_key: string }, UsageSum & { org_key: string; agent_id: string }>(
      `SELECT u.org_key, u.agent_id, ${SUMS} WHERE u.month = :month AND u.org_key = :org_key GROUP BY u.agent_id`,
    )
    .safeIntegers();
  const byModel = db
    .prepare<{ month: string; org_key: string | null }, UsageSum & { model: string }>(
      `SELECT u.model, ${SUMS} WHERE u.month = :month AND (:org_key IS NULL OR u.org_key = :org_key) GROUP BY u.model`,
    )
    .safeIntegers();
  const ofAgent = db
    .prepare<{ month: string; agent_id: string }, UsageSum & { org_key: string; model: string }>(
      `SELECT u.org_key, u.model, ${SUMS} WHERE u.month = :month AND u.agent_id = :agent_id GROUP BY u.org_key, u.model`,
    )
    .safeIntegers();
  const byMonth = db
    .prepare<{ from: string; to: string; org_key: string | null }, UsageSum & { month: string }>(
      `SELECT u.month, ${SUMS} WHERE u.month BETWEEN :from AND :to AND (:org_key IS NULL OR u.org_key = :org_key)
       GROUP BY u.month`,
    )
    .safeIntegers();
  const dropOrgDaily = db.prepare<{ org_key: string }>('DELETE FROM usage_daily WHERE org_key = :org_key');
  const dropOrgMonthly = db.prepare<{ org_key: string }>(
    'DELETE FROM usage_monthly WHERE org_key = :org_key',
  );
  const revision = db.prepare<[], { n: number }>('SELECT n FROM billing_revision');
  const bump = db.prepare('UPDATE billing_revision SET n = n + 1');
  const moveAbove = db.prepare<{ seen: number }>('UPDATE billing_revision SET n = max(n, :seen) + 1');

  return {
    /** Records the key; false when it was imported before. */
    markSeen: (key: bigint) => seen.run(key).changes > 0,
    addDaily: (...row: [string, string, string, string, number, number, number]) => void addDaily.run(...row),
    addMonthly: (...row: [string, string, string, string, string, number, number, number]) =>
      void addMonthly.run(...row),
    /** Re-buckets a model's monthly sums by price period, after its prices changed. */
    rebucketModel(model: string): void {
      clearMonthly.run({ model });
      rebuildMonthly.run({ model });
      bump.run();
    },
    /** Per org and agent for a month; one org's agents only when orgKey is given. */
    monthByAgent: (month: string, orgKey?: string) =>
      orgKey === undefined ? byAgent.all({ month }) : byAgentOfOrg.all({ month, org_key: orgKey }),
    monthByModel: (month: string, orgKey: string | null) => byModel.all({ month, org_key: orgKey }),
    agentMonth: (month: string, agentId: string) => ofAgent.all({ month, agent_id: agentId }),
    byMonth: (from: string, to: string, orgKey: string | null) => byMonth.all({ from, to, org_key: orgKey }),
    /** A purged org's usage goes with it. */
    dropOrg(orgId: string): void {
      dropOrgDaily.run({ org_key: orgId });
      dropOrgMonthly.run({ org_key: orgId });
      bump.run();
    },
    /** Changes whenever anything a report depends on changes: triggers, imports and re-bucketing bump it. */
    revision: () => revision.get()?.n ?? 0,
    bumpRevision: () => void bump.run(),
    /** A revision no cache has seen, when the store's content was replaced under them (a restore). */
    moveRevisionAbove: (seen: number) => void moveAbove.run({ seen }),
  };
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;

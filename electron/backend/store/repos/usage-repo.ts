import type { Db } from '../database';

export interface UsageSlice {
  org_id: string | null;
  agent_id: string;
  model: string;
  price_from: string;
  input_tokens: number;
  output_tokens: number;
}

export interface TrendSlice {
  month: string;
  attributed: 0 | 1;
  model: string;
  price_from: string;
  input_tokens: number;
  output_tokens: number;
}

/** The price period of a day: the latest effective_from on or before it, '' when the model has no price. */
const PRICE_FROM = `ifnull((SELECT max(p.effective_from) FROM model_prices p
  WHERE p.model = d.model AND p.effective_from <= d.day), '')`;

export function createUsageRepo(db: Db) {
  const seen = db.prepare<[bigint]>('INSERT OR IGNORE INTO usage_seen (key) VALUES (?)');
  const addDaily = db.prepare<[string, string | null, string, string, number, number, number]>(
    `INSERT INTO usage_daily (agent_id, org_id, model, day, input_tokens, output_tokens, records) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (agent_id, ifnull(org_id, ''), model, day) DO UPDATE SET
       input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
       records = records + excluded.records`,
  );
  const addMonthly = db.prepare<[string, string | null, string, string, string, number, number, number]>(
    `INSERT INTO usage_monthly (month, org_id, agent_id, model, price_from, input_tokens, output_tokens, records)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (month, ifnull(org_id, ''), agent_id, model, price_from) DO UPDATE SET
       input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
       records = records + excluded.records`,
  );
  const clearMonthly = db.prepare<{ model: string }>('DELETE FROM usage_monthly WHERE model = :model');
  const rebuildMonthly = db.prepare<{ model: string }>(
    `INSERT INTO usage_monthly (month, org_id, agent_id, model, price_from, input_tokens, output_tokens, records)
     SELECT substr(d.day, 1, 7), d.org_id, d.agent_id, d.model, ${PRICE_FROM},
            sum(d.input_tokens), sum(d.output_tokens), sum(d.records)
     FROM usage_daily d WHERE d.model = :model
     GROUP BY 1, 2, 3, 4, 5`,
  );
  const month = db.prepare<{ month: string }, UsageSlice>(
    `SELECT org_id, agent_id, model, price_from, input_tokens, output_tokens FROM usage_monthly WHERE month = :month`,
  );
  const monthOfOrg = db.prepare<{ month: string; org_id: string }, UsageSlice>(
    `SELECT org_id, agent_id, model, price_from, input_tokens, output_tokens FROM usage_monthly
     WHERE month = :month AND org_id = :org_id`,
  );
  const monthOfAgent = db.prepare<{ month: string; agent_id: string }, UsageSlice>(
    `SELECT org_id, agent_id, model, price_from, input_tokens, output_tokens FROM usage_monthly
     WHERE month = :month AND agent_id = :agent_id`,
  );
  const trend = db.prepare<{ from: string; to: string; org_id: string | null }, TrendSlice>(
    `SELECT month, org_id IS NOT NULL AS attributed, model, price_from,
            sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
     FROM usage_monthly WHERE month BETWEEN :from AND :to AND (:org_id IS NULL OR org_id = :org_id)
     GROUP BY month, attributed, model, price_from`,
  );
  const daysOfAgent = db.prepare<
    { agent_id: string; from: string; to: string },
    { day: string; model: string; org_id: string | null; input_tokens: number; output_tokens: number }
  >(
    `SELECT day, model, org_id, input_tokens, output_tokens FROM usage_daily
     WHERE agent_id = :agent_id AND day >= :from AND day < :to ORDER BY day`,
  );

  return {
    /** Records the key; false when it was imported before. */
    markSeen: (key: bigint) => seen.run(key).changes > 0,
    addDaily: (
      agentId: string,
      orgId: string | null,
      model: string,
      day: string,
      input: number,
      output: number,
      records: number,
    ) => void addDaily.run(agentId, orgId, model, day, input, output, records),
    addMonthly: (
      monthKey: string,
      orgId: string | null,
      agentId: string,
      model: string,
      priceFrom: string,
      input: number,
      output: number,
      records: number,
    ) => void addMonthly.run(monthKey, orgId, agentId, model, priceFrom, input, output, records),
    /** Re-buckets a model's monthly sums by price period, after its prices changed. */
    rebucketModel(model: string): void {
      clearMonthly.run({ model });
      rebuildMonthly.run({ model });
    },
    month: (monthKey: string) => month.all({ month: monthKey }),
    monthOfOrg: (monthKey: string, orgId: string) => monthOfOrg.all({ month: monthKey, org_id: orgId }),
    monthOfAgent: (monthKey: string, agentId: string) =>
      monthOfAgent.all({ month: monthKey, agent_id: agentId }),
    trend: (from: string, to: string, orgId: string | null) => trend.all({ from, to, org_id: orgId }),
    daysOfAgent: (agentId: string, fromDay: string, toDay: string) =>
      daysOfAgent.all({ agent_id: agentId, from: fromDay, to: toDay }),
  };
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;

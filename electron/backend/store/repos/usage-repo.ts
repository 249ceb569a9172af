import { monthBounds, nextMonth } from '../../../../shared/domain/months';
import type { Db } from '../database';
import { createUsageRefs, type RefKind } from './usage-refs';

/** Token and cost sums of a slice of usage; integers come back as BigInt so costs stay exact. */
export interface UsageSum {
  input_tokens: bigint;
  output_tokens: bigint;
  unpriced_tokens: bigint;
  cost_pico: bigint;
}

/** org_key in reports: the org's id, or '' for usage of an agent that was in no org. */
export const UNATTRIBUTED = '';

const DAY_MS = 86_400_000;

/** "YYYY-MM" as the rollups store it: yyyymm. */
const monthNumber = (month: string) => Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
const monthText = (month: number) => `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;

/** Sums with cost priced per row at its period's price; a row without a price counts as unpriced. */
const FAST_SUMS = `sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
  sum(CASE WHEN p.id IS NULL THEN u.input_tokens + u.output_tokens ELSE 0 END) AS unpriced_tokens,
  sum(CASE WHEN p.id IS NULL THEN 0 ELSE u.input_tokens * p.input_pico + u.output_tokens * p.output_pico END) AS cost_pico`;
/** The same, exact at any size (sql-functions.ts), as decimal text; many times slower. */
const EXACT_SUMS = `exact_sum(u.input_tokens) AS input_tokens, exact_sum(u.output_tokens) AS output_tokens,
  exact_sum(CASE WHEN p.id IS NULL THEN u.input_tokens END, CASE WHEN p.id IS NULL THEN u.output_tokens END)
    AS unpriced_tokens,
  exact_sum_of_products(u.input_tokens, p.input_pico, u.output_tokens, p.output_pico) AS cost_pico`;
const SUM_FIELDS = ['input_tokens', 'output_tokens', 'unpriced_tokens', 'cost_pico'] as const;

/**
 * A query of sums (`sql` given the sums to select) that answers exactly at any size: SQLite's own
 * sums first, and when one could not be exact (sum() failing past 2^63, or a product past it
 * turned REAL, which comes back as a number rather than a BigInt) the exact ones instead.
 */
function sumsQuery<Params extends object, Keys>(db: Db, sql: (sums: string) => string) {
  const fast = db.prepare<Params, Keys & Record<keyof UsageSum, unknown>>(sql(FAST_SUMS)).safeIntegers();
  const exact = db.prepare<Params, Keys & Record<keyof UsageSum, string>>(sql(EXACT_SUMS)).safeIntegers();
  return (params: Params): (Keys & UsageSum)[] => {
    try {
      const rows = fast.all(params);
      if (rows.every((row) => SUM_FIELDS.every((field) => typeof row[field] === 'bigint')))
        return rows as (Keys & UsageSum)[];
    } catch (error) {
      if ((error as Error).message !== 'integer overflow') throw error;
    }
    return exact.all(params).map((row) => ({
      ...row,
      input_tokens: BigInt(row.input_tokens),
      output_tokens: BigInt(row.output_tokens),
      unpriced_tokens: BigInt(row.unpriced_tokens),
      cost_pico: BigInt(row.cost_pico),
    }));
  };
}
const PRICED = 'LEFT JOIN model_prices p ON p.id = u.price';
const ORG_NAME = "ifnull((SELECT name FROM usage_refs WHERE id = u.org), '') AS org_key";
const AGENT_NAME = '(SELECT name FROM usage_refs WHERE id = u.agent) AS agent_id';
const MODEL_NAME = '(SELECT name FROM usage_refs WHERE id = u.model) AS model';
/** The rollups' org for a report's org key; NULL (matching nothing) for an org without usage. */
const ORG_REF = `CASE WHEN :org_key = '' THEN 0
  ELSE (SELECT id FROM usage_refs WHERE kind = 'org' AND name = :org_key) END`;

/** Each model's price periods as day ranges [first_day, end_day), by the model's ref. */
const PERIODS = `periods AS (
  SELECT p.id, r.id AS model, unixepoch(p.effective_from) / 86400 AS first_day,
    ifnull(unixepoch(lead(p.effective_from) OVER (PARTITION BY p.model ORDER BY p.effective_from)) / 86400,
           1000000000) AS end_day
  FROM model_prices p JOIN usage_refs r ON r.kind = 'model' AND r.name = p.model)`;

/** Monthly sums of the daily rows `where` selects (all in month `month` when it is given), each day in its price period. */
const monthsFromDays = (
  where: string,
  month = "CAST(strftime('%Y%m', d.day * 86400, 'unixepoch') AS INTEGER)",
) => `
  INSERT INTO usage_months (month, org, agent, model, price, input_tokens, output_tokens, records)
  WITH ${PERIODS}
  SELECT ${month}, d.org, d.agent, d.model, ifnull(p.id, 0),
         sum(d.input_tokens), sum(d.output_tokens), sum(d.records)
  FROM usage_days d LEFT JOIN periods p ON p.model = d.model AND d.day >= p.first_day AND d.day < p.end_day
  WHERE ${where}
  GROUP BY 1, 2, 3, 4, 5`;
const orgMonthsFromMonths = (where: string) => `
  INSERT INTO usage_org_months (month, org, model, price, input_tokens, output_tokens, records)
  SELECT month, org, model, price, sum(input_tokens), sum(output_tokens), sum(records)
  FROM usage_months WHERE ${where} GROUP BY 1, 2, 3, 4`;

/** One model's tokens of one agent on one UTC day (YYYY-MM-DD), as org archives carry them. */
export interface DailyUsageRow {
  model: string;
  day: string;
  agent_id: string;
  input_tokens: number;
  output_tokens: number;
  records: number;
}

type ModelMonth = { model: number; month: number; d1: number; d2: number };
type Relabel = { model: number; from: number; to: number; old: number; new: number };

export function createUsageRepo(db: Db) {
  const names = createUsageRefs(db);
  const priceId = db
    .prepare<[string, string], number>('SELECT id FROM model_prices WHERE model = ? AND effective_from = ?')
    .pluck();
  const previousPrice = db
    .prepare<[string, string], number>(
      'SELECT id FROM model_prices WHERE model = ? AND effective_from < ? ORDER BY effective_from DESC LIMIT 1',
    )
    .pluck();
  const nextPrice = db
    .prepare<[string, string], string | null>(
      'SELECT min(effective_from) FROM model_prices WHERE model = ? AND effective_from > ?',
    )
    .pluck();
  const clearMonth = db.prepare<ModelMonth>(
    'DELETE FROM usage_months WHERE month = :month AND model = :model',
  );
  const clearOrgMonth = db.prepare<ModelMonth>(
    'DELETE FROM usage_org_months WHERE month = :month AND model = :model',
  );
  const rebuildMonth = db.prepare<ModelMonth>(
    monthsFromDays('d.model = :model AND d.day BETWEEN :d1 AND :d2', ':month'),
  );
  const rebuildOrgMonth = db.prepare<ModelMonth>(orgMonthsFromMonths('month = :month AND model = :model'));
  const relabelMonths = db.prepare<Relabel>(
    `UPDATE usage_months SET price = :new
     WHERE month BETWEEN :from AND :to AND model = :model AND price = :old`,
  );
  const relabelOrgMonths = db.prepare<Relabel>(
    `UPDATE usage_org_months SET price = :new
     WHERE month BETWEEN :from AND :to AND model = :model AND price = :old`,
  );

  const byAgent = sumsQuery<{ month: number }, { org_key: string; agent_id: string }>(
    db,
    (sums) => `SELECT ${ORG_NAME}, ${AGENT_NAME}, ${sums} FROM usage_months u ${PRICED}
       WHERE u.month = :month GROUP BY u.org, u.agent`,
  );
  const byAgentOfOrg = sumsQuery<{ month: number; org_key: string }, { org_key: string; agent_id: string }>(
    db,
    (sums) => `SELECT ${ORG_NAME}, ${AGENT_NAME}, ${sums} FROM usage_months u ${PRICED}
       WHERE u.month = :month AND u.org = ${ORG_REF} GROUP BY u.agent`,
  );
  const byModel = sumsQuery<{ month: number; org_key: string | null }, { model: string }>(
    db,
    (sums) => `SELECT ${MODEL_NAME}, ${sums} FROM usage_org_months u ${PRICED}
       WHERE u.month = :month AND (:org_key IS NULL OR u.org = ${ORG_REF}) GROUP BY u.model`,
  );
  const ofAgent = sumsQuery<{ month: number; agent_id: string }, { org_key: string; model: string }>(
    db,
    (sums) => `SELECT ${ORG_NAME}, ${MODEL_NAME}, ${sums} FROM usage_months u ${PRICED}
       WHERE u.month = :month AND u.agent = (SELECT id FROM usage_refs WHERE kind = 'agent' AND name = :agent_id)
       GROUP BY u.org, u.model`,
  );
  const byMonth = sumsQuery<{ from: number; to: number; org_key: string | null }, { month: bigint }>(
    db,
    (sums) => `SELECT u.month, ${sums} FROM usage_org_months u ${PRICED}
       WHERE u.month BETWEEN :from AND :to AND (:org_key IS NULL OR u.org = ${ORG_REF})
       GROUP BY u.month`,
  );
  const lastDay = db.prepare<[], number | null>('SELECT max(rowid) FROM usage_days').pluck();
  const insertDay = db.prepare<[number, string, number, number, number, number, number]>(
    `INSERT INTO usage_days (model, day, agent, org, input_tokens, output_tokens, records)
     VALUES (?, unixepoch(?) / 86400, ?, ?, ?, ?, ?)`,
  );
  const orgMonthsOf = db.prepare<{ org: number; since: number }>(
    monthsFromDays('d.rowid > :since AND d.org = :org'),
  );
  const orgOrgMonthsOf = db.prepare<{ org: number }>(orgMonthsFromMonths('org = :org'));
  const dropOrgDays = db.prepare<[number]>('DELETE FROM usage_days WHERE org = ?');
  const dropOrgMonths = db.prepare<[number]>('DELETE FROM usage_months WHERE org = ?');
  const dropOrgOrgMonths = db.prepare<[number]>('DELETE FROM usage_org_months WHERE org = ?');
  const jobMonths = db.prepare<{ job: number }, { model: number; month: number }>(
    `SELECT DISTINCT model, CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER) AS month
     FROM usage_days WHERE job = :job`,
  );
  const countJobRecords = db
    .prepare<{ job: number }, number>('SELECT ifnull(sum(records), 0) FROM usage_days WHERE job = :job')
    .pluck();
  const dropJobDays = db.prepare<{ job: number }>('DELETE FROM usage_days WHERE job = :job');
  const dropJobSeen = db.prepare<{ job: number }>('DELETE FROM usage_seen WHERE job = :job');
  // A re-export would otherwise take its old counts back out of sums that are gone.
  const dropOrgBuckets = db.prepare<[number]>('DELETE FROM usage_buckets WHERE org = ?');
  const revision = db.prepare<[], { n: number }>('SELECT n FROM billing_revision');
  const bump = db.prepare('UPDATE billing_revision SET n = n + 1');
  const moveAbove = db.prepare<{ seen: number }>('UPDATE billing_revision SET n = max(n, :seen) + 1');

  /** Sums one model's month (yyyymm) again from its daily rows, each day in its price period. */
  function resumMonth(model: number, month: number): void {
    const [start, end] = monthBounds(monthText(month));
    const key: ModelMonth = { model, month, d1: start / DAY_MS, d2: end / DAY_MS - 1 };
    clearMonth.run(key);
    clearOrgMonth.run(key);
    rebuildMonth.run(key);
    rebuildOrgMonth.run(key);
  }

  return {
    /**
     * Moves a model's usage into the period of its new price from `from` (YYYY-MM-DD), which runs
     * to the model's next price change. Months wholly inside it only change their price label;
     * only the month `from` falls in, when it starts mid-month, is summed again from its days.
     */
    rebucketModel(model: string, from: string): void {
      const ref = names.find('model', model);
      if (ref === undefined) return;
      const next = nextPrice.get(model, from);
      const split = from.slice(8) !== '01';
      const relabel: Relabel = {
        model: ref,
        from: monthNumber(split ? nextMonth(from.slice(0, 7)) : from),
        to: next ? monthNumber(next) : 999_912,
        old: previousPrice.get(model, from) ?? 0,
        new: priceId.get(model, from) as number,
      };
      relabelMonths.run(relabel);
      relabelOrgMonths.run(relabel);
      if (split) resumMonth(ref, monthNumber(from));
      bump.run();
    },
    /**
     * Takes back what import job `job` (usage_jobs) added: its daily rows and its seen-row keys (so
     * importing the file again counts its rows again), then sums each model's month it touched
     * again. Returns the records removed. Run inside the caller's transaction.
     */
    undoImport(job: number): number {
      const touched = jobMonths.all({ job });
      const records = countJobRecords.get({ job }) ?? 0;
      dropJobDays.run({ job });
      dropJobSeen.run({ job });
      for (const { model, month } of touched) resumMonth(model, month);
      bump.run();
      return records;
    },
    /** Per org and agent for a month; one org's agents only when orgKey is given. */
    monthByAgent: (month: string, orgKey?: string) =>
      orgKey === undefined
        ? byAgent({ month: monthNumber(month) })
        : byAgentOfOrg({ month: monthNumber(month), org_key: orgKey }),
    monthByModel: (month: string, orgKey: string | null) =>
      byModel({ month: monthNumber(month), org_key: orgKey }),
    agentMonth: (month: string, agentId: string) => ofAgent({ month: monthNumber(month), agent_id: agentId }),
    byMonth: (from: string, to: string, orgKey: string | null) =>
      byMonth({ from: monthNumber(from), to: monthNumber(to), org_key: orgKey }).map((row) => ({
        ...row,
        month: monthText(Number(row.month)),
      })),
    /** Daily usage of a new org (an imported archive's), with its monthly sums at this install's prices. */
    addOrgDays(orgId: string, rows: DailyUsageRow[]): void {
      const refs = new Map<string, number>();
      const ref = (kind: RefKind, name: string) => {
        const key = `${kind}|${name}`;
        let id = refs.get(key);
        if (id === undefined) {
          id = names.ref(kind, name);
          refs.set(key, id);
        }
        return id;
      };
      const org = ref('org', orgId);
      const since = lastDay.get() ?? 0;
      for (const row of rows) {
        insertDay.run(
          ref('model', row.model),
          row.day,
          ref('agent', row.agent_id),
          org,
          row.input_tokens,
          row.output_tokens,
          row.records,
        );
      }
      orgMonthsOf.run({ org, since });
      orgOrgMonthsOf.run({ org });
      bump.run();
    },
    /** A purged org's usage goes with it, and so does the record of the provider buckets it held. */
    dropOrg(orgId: string): void {
      const ref = names.find('org', orgId);
      if (ref === undefined) return;
      dropOrgDays.run(ref);
      dropOrgMonths.run(ref);
      dropOrgOrgMonths.run(ref);
      dropOrgBuckets.run(ref);
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

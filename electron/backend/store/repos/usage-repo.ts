import { DAY_MS } from '../../../../shared/domain/days';
import { monthBounds, monthOf, nextMonth } from '../../../../shared/domain/months';
import { TIERS } from '../../../../shared/domain/token-pricing';
import { type Db, onPostgres } from '../engine';
import { createBillingRevision } from './billing-revision';
import { dayNumbersOn } from './day-numbers';
import { createUsageBucketsRepo } from './usage-buckets-repo';
import {
  addTokenSums,
  MONTH_KEY,
  ORG_MONTH_KEY,
  TOKEN_SUM_COLUMNS,
  type TokenSumColumns,
} from './usage-import-repo';
import { createUsageMonthResumsRepo } from './usage-month-resums-repo';
import { createUsageRefs, LAST_REF_ID, type RefKind } from './usage-refs';
import {
  monthNumber,
  monthsFromDays,
  monthText,
  NOT_STAGED,
  ORGS_OF_MONTH,
  type OrgsOfMonth,
  orgMonthsFromMonths,
  periods,
} from './usage-sums-sql';

/**
 * Token sums of a slice of usage in one price period, tier and band: what a cost is computed from.
 * Sums come back as BigInt so costs stay exact; `price` is a model_prices id, 0 for none.
 */
export interface UsageSlice {
  price: number;
  /** Index in TIERS. */
  tier: number;
  /** The long-context band's threshold, 0 for none. */
  band: number;
  input_tokens: bigint;
  output_tokens: bigint;
  cache_read_tokens: bigint;
  cache_write_tokens: bigint;
  cache_write_1h_tokens: bigint;
  reasoning_tokens: bigint;
}

/** org_key in reports: the org's id, or '' for usage of an agent that was in no org. */
export const UNATTRIBUTED = '';

/** The rollups' org for a report's org key; NULL (matching nothing) for an org without usage. */
const ORG_REF = `CASE WHEN :org_key = '' THEN 0
  ELSE (SELECT id FROM usage_refs WHERE kind = 'org' AND name = :org_key) END`;
/** Rollup rows `u` of the report org keys :org_keys (a JSON array; UNATTRIBUTED stands for org 0). */
const OF_ORG_KEYS = `(u.org IN (SELECT id FROM usage_refs WHERE kind = 'org'
                                AND name IN (SELECT value FROM json_each(:org_keys)))
  OR (u.org = 0 AND '' IN (SELECT value FROM json_each(:org_keys))))`;

const SLICE_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
] as const;
/** A slice's token sums with `sum` (SQLite's sum, or exact_sum of sql-functions.ts). */
const sliceSums = (sum: string) =>
  `u.price, u.tier, u.band, ${SLICE_COLUMNS.map((column) => `${sum}(u.${column}) AS ${column}`).join(', ')}`;
const SLICE_KEY = 'u.price, u.tier, u.band';

/**
 * A query of slices (`sql` given the sums to select) that answers exactly at any size: SQLite's own
 * sums first, and when one fails past 2^63 ("integer overflow") the exact ones, read back as BigInt.
 * PostgreSQL's sum of bigints is an exact numeric, so there the first answer always stands.
 */
function slicesQuery<Params extends object, Keys>(db: Db, sql: (sums: string) => string) {
  type Row = Keys & { price: unknown; tier: unknown; band: unknown } & Record<
      (typeof SLICE_COLUMNS)[number],
      bigint
    >;
  const fast = db.prepare<Params, Row>(sql(sliceSums('sum'))).safeIntegers();
  const exact = db.prepare<Params, Row>(sql(sliceSums('exact_sum'))).safeIntegers();
  return (params: Params): Row[] => {
    try {
      return fast.all(params);
    } catch (error) {
      if ((error as Error).message !== 'integer overflow') throw error;
    }
    return exact.all(params).map((row) => {
      const sums = Object.fromEntries(
        SLICE_COLUMNS.map((column) => [column, BigInt(row[column] as unknown as string)]),
      );
      return { ...row, ...sums };
    });
  };
}

/** Safe-integer rows to slices: the keys as numbers, the sums left BigInt. */
function slice<Row extends { price: unknown; tier: unknown; band: unknown }>(row: Row) {
  return { ...row, price: Number(row.price), tier: Number(row.tier), band: Number(row.band) };
}

/**
 * The daily rows `d` of days [:d1, :d2) (of the models `models` selects), read model by model through usage_days_model_day: the table
 * has no index on day alone (one more would slow down the import that writes it), and a scan of it
 * would read every month to find one.
 */
const daysWithin = (models = "SELECT id FROM usage_refs WHERE kind = 'model'") =>
  `d.model IN (${models}) AND d.day >= :d1 AND d.day < :d2`;

/** One model's tokens of one agent on one UTC day (YYYY-MM-DD) in one tier and band, as org archives carry them. */
export interface DailyUsageRow extends TokenSumColumns {
  model: string;
  day: string;
  agent_id: string;
  /** Index in TIERS. */
  tier: number;
  /** The long-context band's threshold, 0 for none. */
  band: number;
}

type ModelMonth = { model: number; month: number; d1: number; d2: number };
/** Months `from` through `to` (yyyymm) of a model's sums labelled price `old` move to price `new`. */
type Relabel = { model: number; from: number; to: number; old: number; new: number };
type MonthRelabel = { model: number; month: number; old: number; new: number };
/** The orgs of a month a relabel step moves, and the labels it moves them between. */
type OrgsRelabel = OrgsOfMonth & { old: number; new: number };

/**
 * Monthly sums of a model one relabel step moves before the org it ends in, all of whose sums it
 * moves too: a month moves an org at a time (its agents' sums with its org sum), so a report sees
 * each org's month at one price, and a step of a month of thousands of agents no longer holds the
 * writer for ~100 ms (one org with more sums than this is still moved in one step).
 */
const RELABEL_ROWS = 1_000;

export function createUsageRepo(db: Db) {
  const days = dayNumbersOn(db);
  const pricePeriods = periods(days);
  const names = createUsageRefs(db);
  const revision = createBillingRevision(db);
  // An agent's usage in one place (org 0: in none), looked up by the keys the rollups have: a
  // month's sums by (month, org, agent), its days by (model, day) for the models it used that month.
  const slotModelsInMonth = db
    .prepare<{ month: number; org: number; agent: number }, number>(
      'SELECT DISTINCT model FROM usage_months WHERE month = :month AND org = :org AND agent = :agent',
    )
    .pluck();
  const slotUsedOnDays = db
    .prepare<{ model: number; from: number; to: number; org: number; agent: number }, number>(
      `SELECT 1 FROM usage_days
       WHERE model = :model AND day BETWEEN :from AND :to AND org = :org AND agent = :agent
       LIMIT 1`,
    )
    .pluck();
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
    monthsFromDays(
      days,
      `d.model = :model AND d.day BETWEEN :d1 AND :d2 AND ${NOT_STAGED}`,
      'CAST(:month AS INTEGER)',
    ),
  );
  const rebuildOrgMonth = db.prepare<ModelMonth>(orgMonthsFromMonths('month = :month AND model = :model'));
  const relabelMonth = db.prepare<OrgsRelabel>(
    `UPDATE usage_months SET price = :new WHERE ${ORGS_OF_MONTH} AND price = :old`,
  );
  const relabelOrgMonth = db.prepare<OrgsRelabel>(
    `UPDATE usage_org_months SET price = :new WHERE ${ORGS_OF_MONTH} AND price = :old`,
  );
  const hasNewLabel = db
    .prepare<OrgsRelabel, number>(
      `SELECT 1 FROM usage_months WHERE ${ORGS_OF_MONTH} AND price = :new LIMIT 1`,
    )
    .pluck();
  // An import between a re-pricing's writes labels the month's new sums with the new price already:
  // the old ones are added to them.
  const mergeMonth = db.prepare<OrgsRelabel>(
    `INSERT INTO usage_months (${MONTH_KEY}, ${TOKEN_SUM_COLUMNS})
     SELECT month, org, agent, model, :new, tier, band, ${TOKEN_SUM_COLUMNS} FROM usage_months
     WHERE ${ORGS_OF_MONTH} AND price = :old ${addTokenSums('usage_months', MONTH_KEY)}`,
  );
  const mergeOrgMonth = db.prepare<OrgsRelabel>(
    `INSERT INTO usage_org_months (${ORG_MONTH_KEY}, ${TOKEN_SUM_COLUMNS})
     SELECT month, org, model, :new, tier, band, ${TOKEN_SUM_COLUMNS} FROM usage_org_months
     WHERE ${ORGS_OF_MONTH} AND price = :old ${addTokenSums('usage_org_months', ORG_MONTH_KEY)}`,
  );
  const dropOldMonth = db.prepare<OrgsRelabel>(
    `DELETE FROM usage_months WHERE ${ORGS_OF_MONTH} AND price = :old`,
  );
  const dropOldOrgMonth = db.prepare<OrgsRelabel>(
    `DELETE FROM usage_org_months WHERE ${ORGS_OF_MONTH} AND price = :old`,
  );
  // The org of the month's sum `rows` on from org `first` still under the old label (0: the first
  // such org): moved ones carry the new label, so a relabel a restart interrupted goes on at the
  // next org unmoved.
  const oldOrgAt = db
    .prepare<MonthRelabel & { first: number; rows: number }, number>(
      `SELECT org FROM usage_months WHERE month = :month AND model = :model AND org >= :first AND price = :old
       ORDER BY org LIMIT 1 OFFSET :rows`,
    )
    .pluck();
  const addRelabel = db.prepare<Relabel>(
    `INSERT INTO usage_relabels (model, next_month, to_month, old_price, new_price)
     VALUES (:model, :from, :to, :old, :new)`,
  );
  const firstRelabel = db.prepare<[], Relabel & { id: number }>(
    `SELECT id, model, next_month AS "from", to_month AS "to", old_price AS old, new_price AS new
     FROM usage_relabels ORDER BY id LIMIT 1`,
  );
  const nextLabelledMonth = db
    .prepare<Relabel, number | null>(
      'SELECT min(month) FROM usage_months WHERE month BETWEEN :from AND :to AND model = :model AND price = :old',
    )
    .pluck();
  const advanceRelabel = db.prepare<{ id: number; next: number }>(
    'UPDATE usage_relabels SET next_month = :next WHERE id = :id',
  );
  const dropRelabel = db.prepare<[number]>('DELETE FROM usage_relabels WHERE id = ?');

  const byAgent = slicesQuery<{ month: number }, { org_key: string; agent_id: string }>(
    db,
    (sums) => `SELECT ifnull(o.name, '') AS org_key, a.name AS agent_id, ${sums}
       FROM usage_months u JOIN usage_refs a ON a.id = u.agent LEFT JOIN usage_refs o ON o.id = u.org
       WHERE u.month = :month
       GROUP BY u.org, o.name, u.agent, a.name, ${SLICE_KEY}`,
  );
  const byAgentOfOrg = slicesQuery<{ month: number; org_key: string }, { org_key: string; agent_id: string }>(
    db,
    (sums) => `SELECT ifnull(o.name, '') AS org_key, a.name AS agent_id, ${sums}
       FROM usage_months u JOIN usage_refs a ON a.id = u.agent LEFT JOIN usage_refs o ON o.id = u.org
       WHERE u.month = :month AND u.org = ${ORG_REF}
       GROUP BY o.name, u.agent, a.name, ${SLICE_KEY}`,
  );
  const byAgentModelOfOrg = slicesQuery<
    { month: number; org_key: string },
    { agent_id: string; model: string }
  >(
    db,
    (sums) => `SELECT a.name AS agent_id, m.name AS model, ${sums}
       FROM usage_months u JOIN usage_refs a ON a.id = u.agent JOIN usage_refs m ON m.id = u.model
       WHERE u.month = :month AND u.org = ${ORG_REF}
       GROUP BY u.agent, a.name, u.model, m.name, ${SLICE_KEY}`,
  );
  const byModel = slicesQuery<{ month: number; org_keys: string }, { model: string }>(
    db,
    (sums) => `SELECT m.name AS model, ${sums}
       FROM usage_org_months u JOIN usage_refs m ON m.id = u.model
       WHERE u.month = :month AND ${OF_ORG_KEYS}
       GROUP BY u.model, m.name, ${SLICE_KEY}`,
  );
  const ofAgent = slicesQuery<{ month: number; agent_id: string }, { org_key: string; model: string }>(
    db,
    (sums) => `SELECT ifnull(o.name, '') AS org_key, m.name AS model, ${sums}
       FROM usage_months u JOIN usage_refs m ON m.id = u.model LEFT JOIN usage_refs o ON o.id = u.org
       WHERE u.month = :month AND u.agent = (SELECT id FROM usage_refs WHERE kind = 'agent' AND name = :agent_id)
       GROUP BY u.org, o.name, u.model, m.name, ${SLICE_KEY}`,
  );
  // Unattributed usage (org 0) by agent and day, each day in its price period: the days are read
  // from the daily rows, as the monthly sums were made.
  const unattributedDays = slicesQuery<{ d1: number; d2: number }, { agent_id: string; day: bigint }>(
    db,
    (sums) => `WITH ${pricePeriods}
       SELECT a.name AS agent_id, u.day, ${sums}
       FROM (SELECT d.*, ifnull(p.id, 0) AS price FROM usage_days d
             LEFT JOIN periods p ON p.model = d.model AND d.day >= p.first_day AND d.day < p.end_day
             WHERE d.org = 0 AND ${daysWithin()}) u
       JOIN usage_refs a ON a.id = u.agent
       GROUP BY u.agent, a.name, u.day, ${SLICE_KEY}`,
  );
  const byMonth = slicesQuery<{ from: number; to: number; org_keys: string }, { month: bigint }>(
    db,
    (sums) => `SELECT u.month, ${sums} FROM usage_org_months u
       WHERE u.month BETWEEN :from AND :to AND ${OF_ORG_KEYS}
       GROUP BY u.month, ${SLICE_KEY}`,
  );
  // One part of a month (days [d1, d2)) of some orgs, by org, agent and model: a markup changing
  // mid-month bills each part at its own. Grouped before the names are joined.
  const partOfOrgs = slicesQuery<
    { d1: number; d2: number; org_keys: string; models: string | null },
    { org_key: string; agent_id: string; model: string }
  >(
    db,
    (sums) => `WITH ${pricePeriods}
       SELECT o.name AS org_key, a.name AS agent_id, m.name AS model,
              ${['price', 'tier', 'band', ...SLICE_COLUMNS].map((c) => `u.${c}`).join(', ')}
       FROM (SELECT u.org, u.agent, u.model, ${sums}
             FROM (SELECT d.org, d.agent, d.model, ifnull(p.id, 0) AS price, d.tier, d.band,
                          ${SLICE_COLUMNS.map((c) => `d.${c}`).join(', ')}
                   FROM usage_days d
                   LEFT JOIN periods p ON p.model = d.model AND d.day >= p.first_day AND d.day < p.end_day
                   WHERE ${daysWithin(`SELECT id FROM usage_refs WHERE kind = 'model'
                                         AND (:models IS NULL OR name IN (SELECT value FROM json_each(:models)))`)}
                     AND d.org IN (SELECT id FROM usage_refs WHERE kind = 'org'
                                   AND name IN (SELECT value FROM json_each(:org_keys)))) u
             GROUP BY u.org, u.agent, u.model, ${SLICE_KEY}) u
       JOIN usage_refs o ON o.id = u.org JOIN usage_refs a ON a.id = u.agent JOIN usage_refs m ON m.id = u.model`,
  );
  const daysOfOrgs = slicesQuery<
    { d1: number; d2: number; org_key: string | null },
    { org_key: string; day: bigint }
  >(
    db,
    (sums) => `WITH ${pricePeriods}
       SELECT o.name AS org_key, u.day, ${sums}
       FROM (SELECT d.*, ifnull(p.id, 0) AS price FROM usage_days d
             LEFT JOIN periods p ON p.model = d.model AND d.day >= p.first_day AND d.day < p.end_day
             WHERE ${daysWithin()} AND d.org <> 0) u
       JOIN usage_refs o ON o.id = u.org
       WHERE :org_key IS NULL OR u.org = ${ORG_REF}
       GROUP BY u.org, o.name, u.day, ${SLICE_KEY}`,
  );
  const lastDay = db.prepare<[], number | null>('SELECT max(rowid) FROM usage_days').pluck();
  const firstUsageDay = db
    .prepare<[], string | null>(`SELECT ${days.dateOf('min(day)')} FROM usage_days`)
    .pluck();
  const monthsSince = db
    .prepare<{ from: number }, number>('SELECT count(DISTINCT month) FROM usage_months WHERE month >= :from')
    .pluck();
  type DayRow = Omit<DailyUsageRow, 'model' | 'agent_id'> & { model: number; agent: number; org: number };
  const insertDaySql = (withRowid: boolean) =>
    `INSERT INTO usage_days (${withRowid ? 'rowid, ' : ''}model, day, agent, org, tier, band, input_tokens,
       output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
     VALUES (${withRowid ? ':rowid, ' : ''}:model, ${days.ofDate(':day')}, :agent, :org, :tier, :band,
       :input_tokens, :output_tokens, :cache_read_tokens, :cache_write_tokens, :cache_write_1h_tokens,
       :reasoning_tokens, :records)`;
  const insertDay = db.prepare<DayRow>(insertDaySql(false));
  // SQLite gives a new row the rowid one past the highest there is: with the rows above an
  // archive's `since` deleted meanwhile (an abandoned import's days dropped, an undo, a purge), its
  // first day would take a rowid at or below it, where finishOrgDays does not look. PostgreSQL's
  // sequence never goes back.
  const insertDayAt = onPostgres(db) ? null : db.prepare<DayRow & { rowid: number }>(insertDaySql(true));
  const orgMonthsOf = db.prepare<{ org: number; since: number }>(
    monthsFromDays(days, 'd.rowid > :since AND d.org = :org'),
  );
  // By the months the org's new rows fall in: usage_months is keyed by month first, and a scan of
  // it for one org read every month of every org.
  const orgOrgMonthsOf = db.prepare<{ org: number; since: number }>(
    orgMonthsFromMonths(
      `month IN (SELECT DISTINCT ${days.monthOf('day')} FROM usage_days WHERE rowid > :since AND org = :org)
       AND org = :org`,
    ),
  );
  const dropStartedDays = db.prepare<{ org: number; since: number; limit: number }>(
    `DELETE FROM usage_days WHERE rowid IN
       (SELECT rowid FROM usage_days WHERE rowid > :since AND org = :org LIMIT :limit)`,
  );
  const dropOrgDays = db.prepare<[number]>('DELETE FROM usage_days WHERE org = ?');
  const dropOrgMonths = db.prepare<[number]>('DELETE FROM usage_months WHERE org = ?');
  const dropOrgOrgMonths = db.prepare<[number]>('DELETE FROM usage_org_months WHERE org = ?');
  const jobMonths = db.prepare<{ job: number }, { model: number; month: number }>(
    `SELECT DISTINCT model, ${days.monthOf('day')} AS month
     FROM usage_days WHERE job = :job`,
  );
  const countJobRecords = db
    .prepare<{ job: number }, number>('SELECT ifnull(sum(records), 0) FROM usage_days WHERE job = :job')
    .pluck();
  const dropJobDays = db.prepare<{ job: number }>('DELETE FROM usage_days WHERE job = :job');
  const buckets = createUsageBucketsRepo(db);
  // A split month is summed again some rows per write on SQLite, at once on PostgreSQL (see the repo).
  const resums = onPostgres(db) ? undefined : createUsageMonthResumsRepo(db);
  const insertJobDay = db.prepare<
    TokenSumColumns & {
      model: number;
      day: number;
      agent: number;
      org: number;
      tier: number;
      band: number;
      job: number;
    }
  >(
    `INSERT INTO usage_days (model, day, agent, org, tier, band, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records, job)
     VALUES (:model, :day, :agent, :org, :tier, :band, :input_tokens, :output_tokens,
       :cache_read_tokens, :cache_write_tokens, :cache_write_1h_tokens, :reasoning_tokens, :records, :job)`,
  );

  /**
   * Where the relabel step of relabel `id` after the last one starts: month `month`, from org `org`.
   * Only a hint, kept in memory (a restart or a rolled-back write makes it wrong, a restart loses
   * it): a step from it moves only orgs still under the old label, and a month is left behind only
   * once a look from its first org finds none (nextLabelledMonth).
   */
  let relabelHint: { id: number; month: number; org: number } | undefined;

  /**
   * Sums one model's month (yyyymm) again from its daily rows, each day in its price period, but
   * for the days of an archive import still being written: finishOrgDays sums those.
   */
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
     * to the model's next price change. Only the month `from` falls in, when it starts mid-month,
     * is summed again from its days: some rows per write on SQLite (`resumNextStep`), at once on
     * PostgreSQL. Months wholly inside the period only change their price label, and that is left
     * pending for `relabelNextStep`, some orgs of a month per step.
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
      addRelabel.run(relabel);
      if (split && resums) resums.begin(ref, monthNumber(from));
      else if (split) resumMonth(ref, monthNumber(from));
      revision.bump();
    },
    /**
     * Moves the next orgs of the next month of the first pending relabel to its new price, about
     * RELABEL_ROWS of its monthly sums (each org's with its per-org sums, so a report sees each org's
     * month whole at one price or the other). Returns whether one was pending. Run inside the
     * caller's transaction.
     */
    relabelNextStep(): boolean {
      const relabel = firstRelabel.get();
      if (relabel === undefined) return false;
      const { id, ...range } = relabel;
      const labels = (month: number) => ({ model: range.model, month, old: range.old, new: range.new });
      // Where the last step left the month off, so a step does not walk past the orgs moved before
      // it; without one, or with none left from there, the month's first old label from its first
      // org. A hint of another relabel, or out of this one's months, is none.
      const hint =
        relabelHint?.id === id && relabelHint.month >= range.from && relabelHint.month <= range.to
          ? relabelHint
          : undefined;
      let month = hint?.month;
      let first = hint && oldOrgAt.get({ ...labels(hint.month), first: hint.org, rows: 0 });
      if (month === undefined || first === undefined) {
        const next = nextLabelledMonth.get(range);
        if (next === null || next === undefined) {
          dropRelabel.run(id);
          relabelHint = undefined;
          return true;
        }
        // The months before it hold no old label: the next look starts there.
        if (next > range.from) advanceRelabel.run({ id, next });
        month = next;
        first = oldOrgAt.get({ ...labels(next), first: 0, rows: 0 }) as number;
      }
      // The org of the sum RELABEL_ROWS on, whose sums all move too; none: the month's last orgs.
      const last = oldOrgAt.get({ ...labels(month), first, rows: RELABEL_ROWS });
      const change = { ...labels(month), first, last: last ?? LAST_REF_ID };
      if (hasNewLabel.get(change) === undefined) {
        relabelMonth.run(change);
        relabelOrgMonth.run(change);
      } else {
        mergeMonth.run(change);
        mergeOrgMonth.run(change);
        dropOldMonth.run(change);
        dropOldOrgMonth.run(change);
      }
      relabelHint = last === undefined ? undefined : { id, month, org: last + 1 };
      revision.bump();
      return true;
    },
    /**
     * Whether usage of agent `agentId` in org `orgId` (null: in none) is imported for a whole UTC
     * day after `at`, up to the month of `until`. Days are what the rollups keep: usage later on the
     * day `at` falls in is not seen.
     */
    agentUsedAfter(agentId: string, orgId: string | null, at: string, until: string): boolean {
      const agent = names.find('agent', agentId);
      const org = orgId === null ? 0 : names.find('org', orgId);
      if (agent === undefined || org === undefined) return false;
      // The first whole day after `at` (the day itself when `at` is its midnight).
      const day = Math.ceil(Date.parse(at) / DAY_MS);
      const month = monthOf(day * DAY_MS);
      const [, nextMonthStart] = monthBounds(month);
      const to = nextMonthStart / DAY_MS - 1;
      const slot = { org, agent };
      for (const model of slotModelsInMonth.all({ month: monthNumber(month), ...slot }))
        if (slotUsedOnDays.get({ model, from: day, to, ...slot }) !== undefined) return true;
      const last = monthNumber(monthOf(Date.parse(until)));
      for (let later = nextMonth(month); monthNumber(later) <= last; later = nextMonth(later))
        if (slotModelsInMonth.all({ month: monthNumber(later), ...slot }).length > 0) return true;
      return false;
    },
    /** Whether a re-pricing's months are still moving to its price (see relabelNextStep). */
    relabelPending: (): boolean => firstRelabel.get() !== undefined,
    /** The next write of a month a re-pricing from mid-month sums again; false when none is pending. */
    resumNextStep: (): boolean => resums?.step() ?? false,
    /** Whether a month a re-pricing split is still being summed again (see resumNextStep). */
    resumPending: (): boolean => resums?.pending() ?? false,
    /**
     * Takes back what provider export `job` (usage_jobs) added, at once: its daily rows and its
     * place in each provider bucket's chain of counts (what it replaced is current again, or what a
     * later import replaced is what it had replaced), then sums each model's month it touched
     * again. A provider export is at most MAX_EXPORT_BYTES, imported in one transaction: its undo is
     * as bounded. Its seen-row keys are left to the undo's later steps (usage-undos-repo). Returns
     * the records removed. Run inside the caller's transaction.
     */
    undoBucketImport(job: number): number {
      /** The months of each model (by ref) to sum again. */
      const touched = new Map<number, Set<number>>();
      const touch = (model: number, month: number) => {
        const months = touched.get(model) ?? new Set<number>();
        touched.set(model, months.add(month));
      };
      for (const { model, month } of jobMonths.all({ job })) touch(model, month);
      const records = countJobRecords.get({ job }) ?? 0;
      dropJobDays.run({ job });
      for (const { key, counts, sign, job: later } of buckets.undo(job)) {
        const { day, agent, org, band, ...sums } = counts;
        insertJobDay.run({
          model: key.model,
          day,
          agent,
          org,
          tier: TIERS.indexOf(key.service_tier),
          band,
          ...(Object.fromEntries(
            Object.entries(sums).map(([name, sum]) => [name, sign * sum]),
          ) as typeof sums),
          job: later,
        });
        const date = new Date(day * DAY_MS);
        touch(key.model, date.getUTCFullYear() * 100 + date.getUTCMonth() + 1);
      }
      for (const [model, months] of touched) for (const month of months) resumMonth(model, month);
      // Rows a re-sum pending may have summed are gone.
      resums?.restart();
      revision.bump();
      return records;
    },
    /** Per org and agent for a month; one org's agents only when orgKey is given. */
    monthByAgent: (month: string, orgKey?: string) =>
      (orgKey === undefined
        ? byAgent({ month: monthNumber(month) })
        : byAgentOfOrg({ month: monthNumber(month), org_key: orgKey })
      ).map(slice),
    /** A month by model, of the usage of `orgKeys` (UNATTRIBUTED: the usage in no org). */
    monthByModel: (month: string, orgKeys: string[]) =>
      byModel({ month: monthNumber(month), org_keys: JSON.stringify(orgKeys) }).map(slice),
    /** One org's month by agent and model: what its statement and its own usage page show. */
    orgMonthByAgentModel: (month: string, orgId: string) =>
      byAgentModelOfOrg({ month: monthNumber(month), org_key: orgId }).map(slice),
    /**
     * Per org of `orgKeys`, agent and model (of `models`, or all): the usage of each part [from, to)
     * of a month (epoch ms at UTC midnights), each day in its price period; a part's rows carry its `from`.
     */
    partsByAgent(parts: { from: number; to: number }[], orgKeys: string[], models?: string[]) {
      const keys = { org_keys: JSON.stringify(orgKeys), models: models ? JSON.stringify(models) : null };
      return parts.flatMap(({ from, to }) =>
        partOfOrgs({ d1: from / DAY_MS, d2: to / DAY_MS, ...keys }).map((row) => ({ ...slice(row), from })),
      );
    },
    agentMonth: (month: string, agentId: string) =>
      ofAgent({ month: monthNumber(month), agent_id: agentId }).map(slice),
    /** The first UTC day (YYYY-MM-DD) of any usage imported; null before the first import. */
    firstDay: (): string | null => firstUsageDay.get() ?? null,
    /** How many months of imported usage lie in `month` or after it. */
    monthsFrom: (month: string): number => monthsSince.get({ from: monthNumber(month) }) ?? 0,
    /** The month's unattributed usage, by agent and UTC day ("YYYY-MM-DD"). */
    unattributedDays: (month: string) => {
      const [from, to] = monthBounds(month);
      return unattributedDays({ d1: from / DAY_MS, d2: to / DAY_MS }).map((row) => ({
        ...slice(row),
        day: new Date(Number(row.day) * DAY_MS).toISOString().slice(0, 10),
      }));
    },
    /** Months `from` through `to`, of the usage of `orgKeys` (UNATTRIBUTED: the usage in no org). */
    byMonth: (from: string, to: string, orgKeys: string[]) => {
      const months = { from: monthNumber(from), to: monthNumber(to), org_keys: JSON.stringify(orgKeys) };
      return byMonth(months).map((row) => ({ ...slice(row), month: monthText(Number(row.month)) }));
    },
    /**
     * Per org (never the unattributed) and UTC day in [from, to) (epoch ms at midnight), one org's
     * when orgKey is given: each day's slices in their price periods, the day as epoch ms.
     */
    daysByOrg: (from: number, to: number, orgKey: string | null) =>
      daysOfOrgs({ d1: from / DAY_MS, d2: to / DAY_MS, org_key: orgKey }).map((row) => ({
        ...slice(row),
        day: Number(row.day) * DAY_MS,
      })),
    /**
     * Daily usage of a new org (an imported archive's), written a few rows per write before the
     * org exists (archive_imports): `startOrgDays` names the org's usage ref and the rowid its rows
     * come after, `orgDayWriter` writes them above that rowid, and `finishOrgDays`, in the write
     * that adds the org, sums its months at this install's prices. Until then no report reads
     * them: reports read the monthly sums, or daily rows of orgs they know.
     */
    startOrgDays: (orgId: string): { org: number; since: number } => ({
      org: names.ref('org', orgId),
      since: lastDay.get() ?? 0,
    }),
    orgDayWriter(org: number, since: number): (row: DailyUsageRow) => void {
      const refs = new Map<RefKind, Map<string, number>>();
      const ref = (kind: RefKind, name: string) => {
        let ofKind = refs.get(kind);
        if (ofKind === undefined) {
          ofKind = new Map();
          refs.set(kind, ofKind);
        }
        let id = ofKind.get(name);
        if (id === undefined) {
          id = names.ref(kind, name);
          ofKind.set(name, id);
        }
        return id;
      };
      let firstWritten = false;
      return ({ model, agent_id, ...sums }) => {
        const row = { ...sums, model: ref('model', model), agent: ref('agent', agent_id), org };
        if (!firstWritten && insertDayAt && (lastDay.get() ?? 0) < since)
          insertDayAt.run({ ...row, rowid: since + 1 });
        else insertDay.run(row);
        // Every later row comes after the first, which stays until the import ends.
        firstWritten = true;
      };
    },
    finishOrgDays(org: number, since: number): void {
      orgMonthsOf.run({ org, since });
      orgOrgMonthsOf.run({ org, since });
      // A re-sum pending left these days out while they were staged, and one restarted meanwhile
      // (an undo's, a purge's) reaches above them: its swap would put sums without them in place.
      resums?.restart(since);
      revision.bump();
    },
    /** Deletes up to `limit` of the daily rows `startOrgDays` began; returns how many went. */
    dropOrgDays: (org: number, since: number, limit: number): number =>
      dropStartedDays.run({ org, since, limit }).changes,
    /** A purged org's usage goes with it, and so does the record of the provider buckets it held. */
    dropOrg(orgId: string): void {
      const ref = names.find('org', orgId);
      if (ref === undefined) return;
      dropOrgDays.run(ref);
      dropOrgMonths.run(ref);
      dropOrgOrgMonths.run(ref);
      // Its rows a re-sum pending may have summed are gone.
      resums?.restart();
      // A re-export would otherwise take its old counts back out of sums that are gone.
      buckets.dropOrg(ref);
      revision.bump();
    },
  };
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;

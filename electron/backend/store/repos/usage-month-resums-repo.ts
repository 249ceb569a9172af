import { DAY_MS } from '../../../../shared/domain/days';
import { monthBounds } from '../../../../shared/domain/months';
import type { Db } from '../engine';
import { createBillingRevision } from './billing-revision';
import { dayNumbersOn } from './day-numbers';
import { addTokenSums, MONTH_KEY, TOKEN_SUM_COLUMNS, TOKEN_SUMS } from './usage-import-repo';
import { LAST_REF_ID } from './usage-refs';
import {
  monthsFromDays,
  monthText,
  NOT_STAGED,
  ORGS_OF_MONTH,
  type OrgsOfMonth,
  orgMonthsFromMonths,
  periods,
} from './usage-sums-sql';

/**
 * A model's month (yyyymm) being summed again, from day `next_day`'s rows above `next_row` on, then
 * put in place from org `next_org` on (see migrations 25 and 29).
 */
interface Resum {
  id: number;
  model: number;
  month: number;
  next_day: number;
  next_row: number;
  last_row: number;
  next_org: number;
}

/**
 * Daily rows one step sums. A day of one model at 10M rows holds ~11,000, and summing one took
 * ~50 ms here: a step of 4,000 keeps a write of steps (and a fast call waiting for it) well under 100 ms.
 */
const ROWS_PER_STEP = 4_000;
/**
 * New sums one step puts in place of the month's old ones, plus the rest of its last org's: at 10M
 * rows a model's month holds ~10,000 sums, whose swap in one write took ~110 ms here. A report sees
 * each org's month whole at its old prices or its new ones.
 */
const SWAP_ROWS = 2_000;

/** Day numbers [first, end) of month yyyymm. */
function daysOf(month: number): { first: number; end: number } {
  const [from, to] = monthBounds(monthText(month));
  return { first: from / DAY_MS, end: to / DAY_MS };
}

/**
 * A re-pricing from mid-month sums that month of its model again from the daily rows, each day in
 * its price period. At 10M usage rows a month of one model holds some 300,000 daily rows: summed
 * in one write, every other write waited a second. Here a few thousand rows are summed per step
 * (`step`, run by UsageRewrites), into usage_month_resum_sums, and then the month's new sums go in
 * place of its old ones some orgs per step, so a report sees each org's month whole at its old
 * prices or at its new ones.
 *
 * Daily rows written meanwhile (an import's, above the row the re-sum began after) were summed as
 * they came, under the periods the new price made: each org's swap adds its ones to its new sums. A
 * write that deletes daily rows or sums a month itself meanwhile (an org purged, a provider export
 * undone) starts the re-sums over (`restart`): the rows a day's sum read may be gone.
 *
 * SQLite only: rows above a watermark are the rows written after it only where one writer commits
 * at a time. PostgreSQL sums the month in the re-pricing's own transaction (UsageRepo.rebucketModel).
 */
export function createUsageMonthResumsRepo(db: Db) {
  const days = dayNumbersOn(db);
  const revision = createBillingRevision(db);
  const begin = db.prepare<{ model: number; month: number; first: number }>(
    `INSERT INTO usage_month_resums (model, month, next_day, last_row)
     VALUES (:model, :month, :first, ifnull((SELECT max(rowid) FROM usage_days), 0))`,
  );
  const first = db.prepare<[], Resum>(
    'SELECT id, model, month, next_day, next_row, last_row, next_org FROM usage_month_resums ORDER BY id LIMIT 1',
  );
  // The last row of the day's next ROWS_PER_STEP, in the (model, day) index's rowid order; none when
  // fewer are left. The index is named: by rowid alone, SQLite would walk every model's rows after `after`.
  const stepEnd = db
    .prepare<{ model: number; day: number; after: number; rows: number }, number>(
      `SELECT rowid FROM usage_days INDEXED BY usage_days_model_day
       WHERE model = :model AND day = :day AND rowid > :after ORDER BY rowid LIMIT 1 OFFSET :rows - 1`,
    )
    .pluck();
  const sumRows = db.prepare<{ resum: number; model: number; day: number; after: number; upto: number }>(
    `INSERT INTO usage_month_resum_sums (resum, org, agent, price, tier, band, ${TOKEN_SUM_COLUMNS})
     WITH ${periods(days)}
     SELECT :resum, d.org, d.agent, ifnull(p.id, 0), d.tier, d.band,
            ${TOKEN_SUMS.map((sum) => `sum(d.${sum})`).join(', ')}
     FROM usage_days d INDEXED BY usage_days_model_day
       LEFT JOIN periods p ON p.model = d.model AND d.day >= p.first_day AND d.day < p.end_day
     WHERE d.model = :model AND d.day = :day AND d.rowid > :after AND d.rowid <= :upto AND ${NOT_STAGED}
     GROUP BY 2, 3, 4, 5, 6
     ON CONFLICT (resum, org, agent, price, tier, band) DO UPDATE SET
       ${TOKEN_SUMS.map((sum) => `${sum} = usage_month_resum_sums.${sum} + excluded.${sum}`).join(', ')}`,
  );
  const advance = db.prepare<{ id: number; day: number; row: number }>(
    'UPDATE usage_month_resums SET next_day = :day, next_row = :row WHERE id = :id',
  );
  // The swap of old sums for new goes some orgs per step (see `step`).
  const clearMonth = db.prepare<OrgsOfMonth>(`DELETE FROM usage_months WHERE ${ORGS_OF_MONTH}`);
  const clearOrgMonth = db.prepare<OrgsOfMonth>(`DELETE FROM usage_org_months WHERE ${ORGS_OF_MONTH}`);
  const putSums = db.prepare<OrgsOfMonth & { id: number }>(
    `INSERT INTO usage_months (${MONTH_KEY}, ${TOKEN_SUM_COLUMNS})
     SELECT :month, org, agent, :model, price, tier, band, ${TOKEN_SUM_COLUMNS}
     FROM usage_month_resum_sums WHERE resum = :id AND org BETWEEN :first AND :last`,
  );
  // By rowid (the unary + keeps SQLite off the (model, day) index, which would read the whole month).
  const addLaterRows = db.prepare<OrgsOfMonth & { last_row: number; first_day: number; end_day: number }>(
    `${monthsFromDays(
      days,
      `d.rowid > :last_row AND +d.model = :model AND +d.day >= :first_day AND +d.day < :end_day
       AND +d.org BETWEEN :first AND :last AND ${NOT_STAGED}`,
      'CAST(:month AS INTEGER)',
    )} ${addTokenSums('usage_months', MONTH_KEY)}`,
  );
  const rebuildOrgMonth = db.prepare<OrgsOfMonth>(orgMonthsFromMonths(ORGS_OF_MONTH));
  // The org of the new sum SWAP_ROWS on from org `from`: the step's last, all of whose sums it puts.
  const sliceEnd = db
    .prepare<{ id: number; from: number; rows: number }, number>(
      `SELECT org FROM usage_month_resum_sums WHERE resum = :id AND org >= :from
       ORDER BY org LIMIT 1 OFFSET :rows`,
    )
    .pluck();
  const finish = db.prepare<[number]>('DELETE FROM usage_month_resums WHERE id = ?');
  const advanceSwap = db.prepare<{ id: number; org: number }>(
    'UPDATE usage_month_resums SET next_org = :org WHERE id = :id',
  );
  const reachingAbove = db.prepare<[number], Pick<Resum, 'id' | 'month'>>(
    'SELECT id, month FROM usage_month_resums WHERE last_row > ?',
  );
  const dropSumsOf = db.prepare<[number]>('DELETE FROM usage_month_resum_sums WHERE resum = ?');

  const startOver = db.prepare<{ id: number; first: number }>(
    `UPDATE usage_month_resums
     SET next_day = :first, next_row = 0, next_org = 0, last_row = ifnull((SELECT max(rowid) FROM usage_days), 0)
     WHERE id = :id`,
  );

  return {
    /** Sums `month` (yyyymm) of model ref `model` again, some rows per `step`. Run inside the re-pricing’s transaction. */
    begin: (model: number, month: number) => void begin.run({ model, month, first: daysOf(month).first }),
    pending: (): boolean => first.get() !== undefined,
    /**
     * The next step of the first re-sum pending: up to ROWS_PER_STEP of a day's rows summed, or,
     * after the month's last day, the new sums of some of its orgs (SWAP_ROWS) in place of the old.
     * Returns whether one was pending. Run inside the caller's transaction.
     */
    step(): boolean {
      const resum = first.get();
      if (resum === undefined) return false;
      const { id, model, month, next_day, next_row, last_row, next_org } = resum;
      const { first: firstDay, end } = daysOf(month);
      if (next_day < end) {
        const boundary = stepEnd.get({ model, day: next_day, after: next_row, rows: ROWS_PER_STEP });
        const dayDone = boundary === undefined || boundary >= last_row;
        const upto = dayDone ? last_row : boundary;
        sumRows.run({ resum: id, model, day: next_day, after: next_row, upto });
        advance.run(dayDone ? { id, day: next_day + 1, row: 0 } : { id, day: next_day, row: upto });
        return true;
      }
      // The month's orgs from next_org on: a slice of them, or the rest.
      const last = sliceEnd.get({ id, from: next_org, rows: SWAP_ROWS });
      const orgs = { model, month, first: next_org, last: last ?? LAST_REF_ID };
      clearMonth.run(orgs);
      clearOrgMonth.run(orgs);
      putSums.run({ ...orgs, id });
      addLaterRows.run({ ...orgs, last_row, first_day: firstDay, end_day: end });
      rebuildOrgMonth.run(orgs);
      if (last === undefined) finish.run(id);
      else advanceSwap.run({ id, org: last + 1 });
      revision.bump();
      return true;
    },
    /**
     * The re-sums pending start over from their months' first days (see above), or, given `row`,
     * those whose rows reach above that rowid: an org archive import's days above it, left out
     * while they were staged, are theirs to sum now, and one begun before those days were written
     * keeps its steps (its swap adds the rows above its last). Run inside the caller's transaction.
     */
    restart(row = -1): void {
      for (const { id, month } of reachingAbove.all(row)) {
        dropSumsOf.run(id);
        startOver.run({ id, first: daysOf(month).first });
      }
    },
  };
}

export type UsageMonthResumsRepo = ReturnType<typeof createUsageMonthResumsRepo>;

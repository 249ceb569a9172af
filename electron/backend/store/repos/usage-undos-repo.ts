import { DAY_MS } from '../../../../shared/domain/days';
import { monthBounds, monthOf } from '../../../../shared/domain/months';
import type { Db } from '../engine';
import { createBillingRevision } from './billing-revision';
import { dayNumbersOn } from './day-numbers';
import { stepSize } from './step-size';
import { addTokenSums, MONTH_KEY, ORG_MONTH_KEY, TOKEN_SUM_COLUMNS, TOKEN_SUMS } from './usage-import-repo';
import { monthNumber, periods } from './usage-sums-sql';

/**
 * Daily rows (of every import) the first step reads through, from the undone import's next row on
 * in its model's days: a step takes the import's rows among them, whole days, out of the sums at
 * once, or, when a day alone holds more, that many of the day's rows after the last slice's (at
 * 10M rows a model's day holds ~11,000: 30-60 ms as one step). Later steps are sized to take
 * STEP_MS; the more days a step spans, the fewer updates an agent's monthly sum gets. Small, as the
 * first step's time is not known before it: the size doubles each quick step.
 */
const DAY_ROWS_FIRST_STEP = 250;
/** How many daily rows, from the start of the day after the last step's, the next step's first day is looked for in. */
const DAY_ROWS_AHEAD = 8_000;
/**
 * Seen-row keys the first step reads through, later sized to take STEP_MS: usage_seen has no index
 * by import, so a step scans a range.
 */
const SEEN_KEYS_FIRST_STEP = 2_500;

/** The yyyymm month of day number `day`, and the number of its month's last day. */
function monthOfDay(day: number): { month: number; lastDay: number } {
  const month = monthOf(day * DAY_MS);
  return {
    month: monthNumber(month),
    lastDay: monthBounds(month)[1] / DAY_MS - 1,
  };
}

/** Below every seen-row key (they are signed 64-bit hashes): where an undo's scan of them starts. */
const FIRST_SEEN_KEY = -(2n ** 63n);

/** An undo as it was begun: who asked (for the audit entry written at its end). */
export interface UsageUndoStart {
  job: number;
  actorId: string | null;
  actorLabel: string;
  /** Records its begin took out already (a provider export's, at once). */
  records: number;
}

/** An undo whose last step ran: its rows and keys are gone. */
export interface FinishedUsageUndo {
  /** The import_jobs id. */
  importId: string;
  actor: { userId: string | null; label: string };
  records: number;
}

/** Days `from` through `to` of one model's daily rows of import `job`. */
type ModelDays = { job: number; model: number; from: number; to: number };
/**
 * Part of day `from` of one model's daily rows of import `job`: its rows after row `after` up to
 * row `upto`, the first of them in rowid order. A day alone holding more than a step goes so.
 */
type DaySlice = { job: number; model: number; from: number; after: number; upto: number };
/** Where the rows a step takes leave the monthly sums: their month and price period's key. */
type Priced = { month: number; price: number };
/**
 * Where the undo of import `job` looks for its next rows: day `day` of model `model` on, that day's
 * rows after row `after` (0 for all of them: those up to `after` a slice took).
 */
type Cursor = { job: number; model: number; day: number; after: number };
/** A per-org monthly sum's key (usage_org_months); usage_months adds the agent. */
type MonthKey = { month: number; org: number; model: number; price: number; tier: number; band: number };

const negatedSums = TOKEN_SUMS.map((sum) => `-sum(d.${sum})`).join(', ');
const JOB_MODEL_DAYS = 'd.model = :model AND d.day BETWEEN :from AND :to AND d.job = :job';
// The (model, day) index holds each day's rows in rowid order: a slice reads its own range of it.
// The unary + keeps SQLite off the import's index (its rows of every day, in rowid order).
const JOB_DAY_SLICE =
  'd.model = :model AND d.day = :from AND d.rowid > :after AND d.rowid <= :upto AND +d.job = :job';
/** `upto` of a day's last slice: above every rowid. */
const ALL_ROWS = Number.MAX_SAFE_INTEGER;
const ZERO_SUMS = TOKEN_SUMS.map((sum) => `${sum} = 0`).join(' AND ');

/**
 * Imports being undone a write at a time (usage_undos), so other writes, and every fast call the
 * writer answers, run between: an import of millions of rows takes seconds to take back. Each step
 * takes the import's daily rows of one model over a few days, or part of one (sized to take
 * STEP_MS), within one month and one price period out of the monthly sums (the key those days
 * share) and drops them, so the sums always equal their daily rows; the steps go on in the daily
 * rows' (model, day) order, so consecutive steps rewrite the same month's sums rather than pages
 * all over. Once no row is left, its seen-row keys go a range per step. The steps run with no
 * re-pricing pending (see usage-rewrites.ts), so the sums' price labels are the ones the periods give.
 */
export function createUsageUndosRepo(db: Db) {
  const days = dayNumbersOn(db);
  const revision = createBillingRevision(db);
  const begin = db.prepare<UsageUndoStart & { from: bigint }>(
    `INSERT INTO usage_undos (job, actor_id, actor_label, records, seen_from)
     VALUES (:job, :actorId, :actorLabel, :records, :from)`,
  );
  const first = db
    .prepare<
      [],
      {
        job: bigint;
        actor_id: string | null;
        actor_label: string;
        records: bigint;
        seen_from: bigint;
        import_id: string;
      }
    >(
      `SELECT u.job, u.actor_id, u.actor_label, u.records, u.seen_from, j.job_id AS import_id
       FROM usage_undos u JOIN usage_jobs j ON j.id = u.job ORDER BY u.job LIMIT 1`,
    )
    .safeIntegers();
  const nextDay = db.prepare<{ job: number }, { model: number; day: number }>(
    'SELECT model, day FROM usage_days WHERE job = :job LIMIT 1',
  );
  // Bounded by `rows` too: past the import's last day of a model, other imports' rows may follow.
  const nextDayAfter = db
    .prepare<{ job: number; model: number; day: number; rows: number }, number>(
      `SELECT day FROM (SELECT day, job FROM usage_days WHERE model = :model AND day >= :day
       ORDER BY day LIMIT :rows) AS later WHERE job = :job LIMIT 1`,
    )
    .pluck();
  const priceOn = db.prepare<{ model: number; day: number }, { price: number; next_day: number | null }>(
    `WITH ${periods(days)}
     SELECT ifnull((SELECT id FROM periods WHERE model = :model AND first_day <= :day AND end_day > :day), 0)
              AS price,
            (SELECT min(first_day) FROM periods WHERE model = :model AND first_day > :day) AS next_day`,
  );
  // The days a step's `rows` reach: the last of them, and how many rows they reached (fewer than
  // `rows` when every day up to `last` fits).
  const daySpan = db.prepare<
    { model: number; from: number; last: number; rows: number },
    { end_day: number; reached: number }
  >(
    `SELECT max(day) AS end_day, count(*) AS reached FROM (SELECT day FROM usage_days
       WHERE model = :model AND day BETWEEN :from AND :last ORDER BY day LIMIT :rows) AS step_days`,
  );
  // The import's first row of a day beyond a slice of `rows` after row `after` (with `rows` 0: its
  // first row after `after`); none when no more than `rows` are left. The unary + keeps SQLite on the
  // day's rows of the (model, day) index; PostgreSQL's index has no rowid, so there a slice reads
  // its whole day.
  const beyondSlice = db
    .prepare<{ job: number; model: number; day: number; after: number; rows: number }, number>(
      `SELECT rowid FROM usage_days WHERE model = :model AND day = :day AND rowid > :after AND +job = :job
       ORDER BY rowid LIMIT 1 OFFSET :rows`,
    )
    .pluck();
  /** What a step runs on the daily rows `where` picks: the same four statements for whole days and a slice. */
  function stepStatements<Rows extends object>(where: string) {
    return {
      records: db
        .prepare<Rows, number>(`SELECT ifnull(sum(d.records), 0) FROM usage_days d WHERE ${where}`)
        .pluck(),
      // Grouped in the sums' key order (month, model and price are the step's own), so each step's
      // updates walk its month's sums forward, a page after the next.
      takeFromMonths: db.prepare<Rows & Priced, MonthKey & { agent: number; emptied: 0 | 1 }>(
        `INSERT INTO usage_months (month, org, agent, model, price, tier, band, ${TOKEN_SUM_COLUMNS})
         SELECT CAST(:month AS INTEGER), d.org, d.agent, CAST(:model AS INTEGER), CAST(:price AS INTEGER),
                d.tier, d.band, ${negatedSums}
         FROM usage_days d WHERE ${where}
         GROUP BY d.org, d.agent, d.tier, d.band ${addTokenSums('usage_months', MONTH_KEY)}
         RETURNING month, org, agent, model, price, tier, band, ${ZERO_SUMS} AS emptied`,
      ),
      takeFromOrgMonths: db.prepare<Rows & Priced, MonthKey & { emptied: 0 | 1 }>(
        `INSERT INTO usage_org_months (month, org, model, price, tier, band, ${TOKEN_SUM_COLUMNS})
         SELECT CAST(:month AS INTEGER), d.org, CAST(:model AS INTEGER), CAST(:price AS INTEGER), d.tier, d.band,
                ${negatedSums}
         FROM usage_days d WHERE ${where}
         GROUP BY d.org, d.tier, d.band ${addTokenSums('usage_org_months', ORG_MONTH_KEY)}
         RETURNING month, org, model, price, tier, band, ${ZERO_SUMS} AS emptied`,
      ),
      drop: db.prepare<Rows>(`DELETE FROM usage_days AS d WHERE ${where}`),
    };
  }
  const wholeDays = stepStatements<ModelDays>(JOB_MODEL_DAYS);
  const daySlice = stepStatements<DaySlice>(JOB_DAY_SLICE);
  // A sum the import alone made is zero now: gone, as summing the month again would leave it.
  const dropMonth = db.prepare<MonthKey & { agent: number }>(
    `DELETE FROM usage_months WHERE month = :month AND org = :org AND agent = :agent AND model = :model
       AND price = :price AND tier = :tier AND band = :band`,
  );
  const dropOrgMonth = db.prepare<MonthKey>(
    `DELETE FROM usage_org_months WHERE month = :month AND org = :org AND model = :model
       AND price = :price AND tier = :tier AND band = :band`,
  );
  const addRecords = db.prepare<{ job: number; records: number }>(
    'UPDATE usage_undos SET records = records + :records WHERE job = :job',
  );
  const seenBound = db
    .prepare<{ from: bigint; skip: number }, bigint>(
      'SELECT key FROM usage_seen WHERE key >= :from ORDER BY key LIMIT 1 OFFSET :skip',
    )
    .pluck()
    .safeIntegers();
  const dropSeen = db.prepare<{ job: number; from: bigint; to: bigint }>(
    'DELETE FROM usage_seen WHERE key >= :from AND key < :to AND job = :job',
  );
  const dropSeenRest = db.prepare<{ job: number; from: bigint }>(
    'DELETE FROM usage_seen WHERE key >= :from AND job = :job',
  );
  const advanceSeen = db.prepare<{ job: number; from: bigint }>(
    'UPDATE usage_undos SET seen_from = :from WHERE job = :job',
  );
  const finish = db.prepare<{ job: number }>('DELETE FROM usage_undos WHERE job = :job');
  /**
   * Where the last step ended: the next goes on from there, in the daily rows' (model, day) order.
   * Only a hint: a restart loses it, and after a rolled-back write it may point past rows put back,
   * which the steps find once the rows it points to are gone (`nextDay`, the import's first row).
   */
  let cursor: Cursor | undefined;
  const dayRows = stepSize(DAY_ROWS_FIRST_STEP, 100, 32_000);
  const seenKeys = stepSize(SEEN_KEYS_FIRST_STEP, 500, 80_000);

  /** Where the next step of undoing import `job` starts. */
  function nextDays(job: number): Cursor | undefined {
    if (cursor?.job === job) {
      const { model, day: from, after } = cursor;
      // A day being sliced goes on after its last slice, not from its start.
      if (after > 0 && beyondSlice.get({ job, model, day: from, after, rows: 0 }) !== undefined)
        return cursor;
      const day = nextDayAfter.get({ job, model, day: after > 0 ? from + 1 : from, rows: DAY_ROWS_AHEAD });
      if (day !== undefined) return { job, model, day, after: 0 };
    }
    // After a restart, a model's last day, or a stretch of other imports' days: wherever rows are left.
    const found = nextDay.get({ job });
    return found && { job, ...found, after: 0 };
  }

  /**
   * The last day of a step of whole days from `from` (up to `last`): the day before the one the
   * step's rows ran out in, which may not be whole in them, unless every day up to `last` fits.
   * Before `from` when that day alone holds more than a step.
   */
  function lastWholeDay(model: number, from: number, last: number): number {
    const { end_day, reached } = daySpan.get({ model, from, last, rows: dayRows.size }) ?? {
      end_day: from,
      reached: 0,
    };
    return reached < dayRows.size ? end_day : end_day - 1;
  }

  /** Takes the rows `statements` pick out of the monthly sums, counts their records to import `job`'s undo and drops them. */
  function takeOut<Rows extends object>(
    job: number,
    statements: ReturnType<typeof stepStatements<Rows>>,
    key: Rows & Priced,
  ): void {
    addRecords.run({ job, records: statements.records.get(key) ?? 0 });
    for (const { emptied, ...sum } of statements.takeFromMonths.all(key)) if (emptied) dropMonth.run(sum);
    for (const { emptied, ...sum } of statements.takeFromOrgMonths.all(key))
      if (emptied) dropOrgMonth.run(sum);
    statements.drop.run(key);
  }

  return {
    /** Records import `job` (usage_jobs) as being undone; `step` then takes it out. */
    begin: (start: UsageUndoStart) => void begin.run({ ...start, from: FIRST_SEEN_KEY }),
    pending: (): boolean => first.get() !== undefined,
    /**
     * The next step of the first undo pending: a few days of one model of its rows (or part of a
     * day), else a range of its seen-row keys; after the last, the undo is finished and handed to
     * `finished`, in the same write. Returns whether one was pending. Run inside the caller's
     * transaction.
     */
    step(finished: (undo: FinishedUsageUndo) => void): boolean {
      const undo = first.get();
      if (undo === undefined) return false;
      const job = Number(undo.job);
      const next = nextDays(job);
      // Timed from here: finding where a step starts costs the same whatever its size.
      const began = performance.now();
      if (next !== undefined) {
        const { model, day: from, after } = next;
        // A step stays within a month and a price period: the sums it takes from share both.
        const { month, lastDay } = monthOfDay(from);
        const { price, next_day: nextPrice } = priceOn.get({ model, day: from }) ?? {
          price: 0,
          next_day: null,
        };
        const last = nextPrice === null ? lastDay : Math.min(lastDay, nextPrice - 1);
        // A day a slice began goes on in slices; else whole days up to the one the step's rows ran
        // out in, which may not be whole, and a day that alone holds more goes in slices too.
        const to = after === 0 ? lastWholeDay(model, from, last) : from - 1;
        if (to >= from) {
          takeOut(job, wholeDays, { job, model, from, to, month, price });
          cursor = { job, model, day: to + 1, after: 0 };
        } else {
          const beyond = beyondSlice.get({ job, model, day: from, after, rows: dayRows.size });
          const upto = beyond === undefined ? ALL_ROWS : beyond - 1;
          takeOut(job, daySlice, { job, model, from, after, upto, month, price });
          cursor =
            beyond === undefined
              ? { job, model, day: from + 1, after: 0 }
              : { job, model, day: from, after: upto };
        }
        revision.bump();
        dayRows.took(performance.now() - began);
        return true;
      }
      const from = undo.seen_from;
      const to = seenBound.get({ from, skip: seenKeys.size });
      if (to !== undefined) {
        dropSeen.run({ job, from, to });
        advanceSeen.run({ job, from: to });
        seenKeys.took(performance.now() - began);
        return true;
      }
      dropSeenRest.run({ job, from });
      finish.run({ job });
      finished({
        importId: undo.import_id,
        actor: { userId: undo.actor_id, label: undo.actor_label },
        records: Number(undo.records),
      });
      return true;
    },
  };
}

export type UsageUndosRepo = ReturnType<typeof createUsageUndosRepo>;

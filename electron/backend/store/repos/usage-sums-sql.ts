import type { DayNumbers } from './day-numbers';

// What the usage repositories share for making sums: each day in its model's price period, and
// the months as the rollups store them.

/** "YYYY-MM" as the rollups store it: yyyymm. */
export const monthNumber = (month: string) => Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
/** A rollup's yyyymm as "YYYY-MM". */
export const monthText = (month: number) =>
  `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;

/**
 * A model's month of the orgs `first` through `last` (usage_refs ids): the slice of a month's sums
 * a rewrite step moves, each org whole with its per-org sum (relabels, re-sums).
 */
export const ORGS_OF_MONTH = 'month = :month AND model = :model AND org BETWEEN :first AND :last';
export type OrgsOfMonth = { model: number; month: number; first: number; last: number };

/**
 * Daily rows (`d`) of orgs an archive import is still writing (or dropping): no sum counts them
 * until the import sums them with its org (usage.finishOrgDays), in the write that adds it.
 */
export const NOT_STAGED = 'd.org NOT IN (SELECT org_ref FROM archive_imports)';

/** Each model's price periods as day ranges [first_day, end_day), by the model's ref. */
export const periods = (days: DayNumbers) => `periods AS (
  SELECT p.id, r.id AS model, ${days.ofDate('p.effective_from')} AS first_day,
    ifnull(${days.ofDate('lead(p.effective_from) OVER (PARTITION BY p.model ORDER BY p.effective_from)')},
           1000000000) AS end_day
  FROM model_prices p JOIN usage_refs r ON r.kind = 'model' AND r.name = p.model)`;

/**
 * The one way monthly sums are made from daily rows: those `where` selects (all in month `month`
 * when it is given), each day in its price period. Price changes, archive imports and undos use it.
 */
export const monthsFromDays = (days: DayNumbers, where: string, month = days.monthOf('d.day')) => `
  INSERT INTO usage_months (month, org, agent, model, price, tier, band, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
  WITH ${periods(days)}
  SELECT ${month}, d.org, d.agent, d.model, ifnull(p.id, 0), d.tier, d.band,
         sum(d.input_tokens), sum(d.output_tokens), sum(d.cache_read_tokens), sum(d.cache_write_tokens),
         sum(d.cache_write_1h_tokens), sum(d.reasoning_tokens), sum(d.records)
  FROM usage_days d LEFT JOIN periods p ON p.model = d.model AND d.day >= p.first_day AND d.day < p.end_day
  WHERE ${where}
  GROUP BY 1, 2, 3, 4, 5, 6, 7`;
/** The per-org monthly sums (usage_org_months) of the monthly sums `where` selects. */
export const orgMonthsFromMonths = (where: string) => `
  INSERT INTO usage_org_months (month, org, model, price, tier, band, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, records)
  SELECT month, org, model, price, tier, band, sum(input_tokens), sum(output_tokens),
         sum(cache_read_tokens), sum(cache_write_tokens), sum(cache_write_1h_tokens),
         sum(reasoning_tokens), sum(records)
  FROM usage_months WHERE ${where} GROUP BY 1, 2, 3, 4, 5, 6`;

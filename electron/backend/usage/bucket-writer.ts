import { DAY_MS } from '../../../shared/domain/days';
import { bandFor, TIERS } from '../../../shared/domain/token-pricing';
import type { Db } from '../store/engine';
import { type BucketCounts, type BucketKey, createUsageBucketsRepo } from '../store/repos/usage-buckets-repo';
import { createUsageImportRepo } from '../store/repos/usage-import-repo';
import { createAttribution, type ModelPrices, periodOn } from './attribution';
import type { AttributedRow } from './formats/attribute';

/** What writing a set of bucket rows did. */
export interface BucketResult {
  /** Buckets seen for the first time. */
  imported: number;
  /** Buckets imported before whose counts (or agent) changed: the new counts replace the old. */
  replaced: number;
  /** Buckets imported before with the same counts, in the same place. */
  unchanged: number;
}

const yyyymm = (day: number) => {
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
};

/** The counts a bucket adds to the rollups, in TOKEN_SUMS order (records last). */
const sumsOf = (counts: BucketCounts) => [
  counts.input_tokens,
  counts.output_tokens,
  counts.cache_read_tokens,
  counts.cache_write_tokens,
  counts.cache_write_1h_tokens,
  counts.reasoning_tokens,
  counts.records,
];

const sameCounts = (a: BucketCounts, b: BucketCounts) =>
  a.day === b.day &&
  a.agent === b.agent &&
  a.org === b.org &&
  a.band === b.band &&
  sumsOf(a).every((sum, at) => sum === sumsOf(b)[at]);

/**
 * Writes rows of aggregated provider exports inside the caller's transaction. A bucket (source,
 * start, identities, model, tier, band) imported before has its old counts taken out of the day
 * and month rollups where they were added, and the new ones added where they now belong, so a
 * re-export replaces rather than adds up. The day rollups are appended to, as imports do: the
 * take-back is a row of negative counts, and monthly sums rebuilt from days stay right. Day rows are
 * job `job`'s (usage_jobs), and so are the counts the buckets now hold; the counts they replaced are
 * kept, so undoing the job puts them back.
 */
export function createBucketWriter(db: Db, job: number) {
  const writes = createUsageImportRepo(db);
  const attribution = createAttribution(writes);
  const buckets = createUsageBucketsRepo(db);

  return {
    write(rows: readonly AttributedRow[]): BucketResult {
      attribution.refresh();
      const result: BucketResult = { imported: 0, replaced: 0, unchanged: 0 };
      const dayRows: number[] = [];
      const monthRows: number[] = [];
      const orgMonthRows: number[] = [];
      const add = (model: ModelPrices, tier: number, counts: BucketCounts, sign: 1 | -1) => {
        const { day, agent, org, band } = counts;
        const sums = sumsOf(counts).map((sum) => sign * sum);
        const month = yyyymm(day);
        const price = periodOn(model, day)?.id ?? 0;
        dayRows.push(model.ref, day, agent, org, tier, band, ...sums, job);
        monthRows.push(month, org, agent, model.ref, price, tier, band, ...sums);
        orgMonthRows.push(month, org, model.ref, price, tier, band, ...sums);
      };
      for (const { row, agent: handle } of rows) {
        const bucket = row.bucket;
        const agent = attribution.agent(handle);
        // Aliases name live agents only, read in this same transaction: both are there.
        if (bucket === undefined || agent === undefined)
          throw new Error(`A bucket row without its bucket or live agent (${handle}) reached the writer.`);
        const start = Date.parse(bucket.start);
        const model = attribution.model(row.model);
        const slot = attribution.slotAt(agent, start);
        const day = Math.floor(start / DAY_MS);
        const key: BucketKey = {
          source: bucket.source,
          bucket_start: start,
          identities: JSON.stringify(row.identities.map(({ kind, value }) => [kind, value])),
          model: model.ref,
          service_tier: row.service_tier,
          long_context: row.long_context === true ? 1 : 0,
        };
        const prompt =
          row.input_tokens + row.cache_read_tokens + row.cache_write_tokens + row.cache_write_1h_tokens;
        const counts: BucketCounts = {
          day,
          agent: attribution.slotAgent(slot),
          org: attribution.slotOrg(slot),
          // Decided now against the price in effect that day, as a usage file's rows are.
          band: bandFor(periodOn(model, day)?.bands ?? [], prompt, row.requests, row.long_context ?? null),
          input_tokens: row.input_tokens,
          output_tokens: row.output_tokens,
          cache_read_tokens: row.cache_read_tokens,
          cache_write_tokens: row.cache_write_tokens,
          cache_write_1h_tokens: row.cache_write_1h_tokens,
          reasoning_tokens: row.reasoning_tokens,
          records: 1,
        };
        const tier = TIERS.indexOf(row.service_tier);
        const before = buckets.get(key);
        if (before !== undefined && sameCounts(before, counts)) {
          result.unchanged++;
          continue;
        }
        if (before === undefined) result.imported++;
        else {
          add(model, tier, before, -1);
          result.replaced++;
        }
        add(model, tier, counts, 1);
        buckets.put(key, counts, job, before);
      }
      writes.appendDays(dayRows);
      writes.addMonths(monthRows);
      writes.addOrgMonths(orgMonthRows);
      if (dayRows.length > 0) writes.bumpRevision();
      attribution.settle();
      return result;
    },
  };
}

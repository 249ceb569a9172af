import { AppError } from '../../../shared/contract/envelope';
import { DAY_MS } from '../../../shared/domain/days';
import { bandFor, TIERS } from '../../../shared/domain/token-pricing';
import type { Db } from '../store/engine';
import {
  BUCKET_KEY_ORDER,
  type BucketCounts,
  type BucketKey,
  type BucketPut,
  type BucketSpan,
  type BucketUsage,
  type BucketVersion,
  bucketKeyId,
  createUsageBucketsRepo,
} from '../store/repos/usage-buckets-repo';
import { createUsageImportRepo, TOKEN_SUMS, type TokenSumColumns } from '../store/repos/usage-import-repo';
import { type AgentPlaces, createAttribution, type ModelPrices, periodOn } from './attribution';
import type { AttributedRow } from './formats/attribute';
import { keyedSums } from './keyed-sums';

/** What writing a set of bucket rows did, counted in rows (results of the export). */
export interface BucketResult {
  /** Rows of buckets seen for the first time, or summed into one this import brought. */
  imported: number;
  /** Rows of buckets imported before whose counts (or agent) changed: the new counts replace the old. */
  replaced: number;
  /** Rows of buckets imported before with the same counts, in the same place. */
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

/** The rows of one export that fall in one bucket key and span, summed: what the bucket now holds. */
interface BucketSum {
  key: BucketKey;
  /** Epoch ms. */
  end: number;
  model: ModelPrices;
  /** As the export names it, for messages. */
  modelName: string;
  agent: AgentPlaces;
  longContext: boolean | null;
  sums: TokenSumColumns;
  requests: number;
  /** How many of the export's rows are summed here. */
  rows: number;
}

/** Orders buckets as the store's key does (usage_buckets' primary key). */
function inKeyOrder(a: BucketSum, b: BucketSum): number {
  for (const column of BUCKET_KEY_ORDER) {
    const [x, y] = [a.key[column], b.key[column]];
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.end - b.end;
}

/** Adds two exact counts, refusing a sum past what a JavaScript number holds exactly. */
function exactSum(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum))
    throw new AppError(
      'VALIDATION',
      `The rows of one provider bucket sum past ${Number.MAX_SAFE_INTEGER} tokens or requests, more than ` +
        'can be summed exactly; nothing from this file was imported.',
    );
  return sum;
}

const plus = (a: TokenSumColumns, b: TokenSumColumns): TokenSumColumns =>
  Object.fromEntries(TOKEN_SUMS.map((sum) => [sum, exactSum(a[sum], b[sum])])) as TokenSumColumns;

/** Units a width is said in, largest first; every width is a whole number of the last. */
const UNITS: readonly (readonly [string, number])[] = [
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
  ['millisecond', 1],
];

/** A bucket's width in the largest whole unit: "1 day", "1 hour", "15 minutes". */
function widthText(ms: number): string {
  const [unit, size] = UNITS.find(([, size]) => ms % size === 0) as readonly [string, number];
  const count = ms / size;
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const instantText = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const spanText = (start: number, end: number | null) =>
  end === null
    ? `from ${instantText(start)} (its width was not recorded: an older Orgdeck imported it)`
    : `${instantText(start)} to ${instantText(end)} (${widthText(end - start)})`;

/** A bucket of an export, as a refusal names it. */
interface NamedBucket {
  source: string;
  /** JSON array of [kind, value] pairs. */
  identities: string;
  model: string;
  service_tier: string;
  bucket_start: number;
  bucket_end: number;
}

/**
 * Why an export is refused whose bucket overlaps one of another width already imported for the
 * same usage: neither replaces the other, so the usage in both would be counted twice.
 */
function widthConflict(bucket: NamedBucket, other: BucketSpan, job: number): AppError {
  const [where, remedy] =
    other.job === job
      ? ['also in this export', 'Import each bucket width of the period from a file of its own']
      : ['imported before', 'Export the period at the width imported before, or undo that import first'];
  return new AppError(
    'VALIDATION',
    `This export's bucket ${spanText(bucket.bucket_start, bucket.bucket_end)} overlaps the bucket ` +
      `${spanText(other.bucket_start, other.bucket_end)} ${where} for the same usage (${usageText(bucket)}): ` +
      `buckets of different widths cannot replace each other, so that usage would be counted twice. ` +
      `${remedy}; nothing from this file was imported.`,
  );
}

/**
 * Why an export is refused that leaves out a bucket another import brought at a usage and start it
 * brings counts to (say one grouped by inference geo after one grouped by none of those fields):
 * its buckets cannot replace that one, so the usage in both would be counted twice.
 */
function unlistedBeside(bucket: NamedBucket, listed: string, other: string): AppError {
  return new AppError(
    'VALIDATION',
    `This export's bucket ${spanText(bucket.bucket_start, bucket.bucket_end)} for ${usageText(bucket)} ` +
      `(${groupingText(listed)}) leaves out the one ${groupingText(other)} imported before: an export ` +
      `grouped by other fields (or filtered by them) cannot replace it, so that usage would be counted ` +
      `twice. Export the period as before, or undo that import first; nothing from this file was imported.`,
  );
}

/** A bucket's other grouping values as a message names them: "of inference_geo us, speed fast". */
function groupingText(groupedBy: string): string {
  const values = JSON.parse(groupedBy) as [string, string][];
  return values.length === 0
    ? 'grouped by no other field'
    : `of ${values.map(([field, value]) => `${field} ${value}`).join(', ')}`;
}

/** "anthropic api_key apikey_01, claude-opus-4-6, standard": whose usage a bucket counts. */
function usageText(bucket: NamedBucket): string {
  const identities = (JSON.parse(bucket.identities) as [string, string][])
    .map(([kind, value]) => `${kind} ${value}`)
    .join(', ');
  return `${bucket.source} ${identities}, ${bucket.model}, ${bucket.service_tier}`;
}

const named = (bucket: BucketSum): NamedBucket => ({
  ...bucket.key,
  model: bucket.modelName,
  bucket_end: bucket.end,
});

/**
 * Writes rows of aggregated provider exports inside the caller's transaction. A bucket (source,
 * start, identities, model, tier, band, other grouping values) imported before has its old counts
 * taken out of the day and month rollups where they were added, and the new ones added where they
 * now belong, so a re-export replaces rather than adds up. Rows of one export that share a bucket
 * (a grouping field Orgdeck does not key by, or tiers it prices alike) are different usage: they
 * are summed. A bucket overlapping one of another width for the same usage stops the import (see
 * widthConflict; `finish` asks once all are written). The day rollups are appended to, as imports
 * do: the take-back is a row of negative counts, and monthly sums rebuilt from days stay right.
 * Day rows are job `job`'s (usage_jobs), and so are the counts the buckets now hold; the counts
 * they replaced are kept, so undoing the job puts them back.
 */
export function createBucketWriter(db: Db, job: number) {
  const writes = createUsageImportRepo(db);
  const attribution = createAttribution(writes);
  const buckets = createUsageBucketsRepo(db);
  /** Every bucket the export lists (bucketKeyId), brought or unchanged. */
  const listed = new Set<string>();

  /** The rows summed per bucket key and span, in the order each first appears. */
  function sumsOfRows(rows: readonly AttributedRow[]): BucketSum[] {
    const byBucket = new Map<string, BucketSum>();
    for (const { row, agent: handle } of rows) {
      const bucket = row.bucket;
      const agent = attribution.agent(handle);
      // Aliases name live agents only, read in this same transaction: both are there.
      if (bucket === undefined || agent === undefined)
        throw new Error(`A bucket row without its bucket or live agent (${handle}) reached the writer.`);
      const model = attribution.model(row.model);
      const key: BucketKey = {
        source: bucket.source,
        bucket_start: Date.parse(bucket.start),
        identities: JSON.stringify(row.identities.map(({ kind, value }) => [kind, value])),
        model: model.ref,
        service_tier: row.service_tier,
        long_context: row.long_context === true ? 1 : 0,
        grouped_by: JSON.stringify(bucket.groupedBy ?? []),
      };
      listed.add(bucketKeyId(key));
      const end = Date.parse(bucket.end);
      const sums: TokenSumColumns = {
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        cache_read_tokens: row.cache_read_tokens,
        cache_write_tokens: row.cache_write_tokens,
        cache_write_1h_tokens: row.cache_write_1h_tokens,
        reasoning_tokens: row.reasoning_tokens,
        records: 1,
      };
      const id = JSON.stringify([...Object.values(key), end]);
      const summed = byBucket.get(id);
      if (summed === undefined)
        byBucket.set(id, {
          key,
          end,
          model,
          modelName: row.model,
          agent,
          longContext: row.long_context ?? null,
          sums,
          requests: row.requests,
          rows: 1,
        });
      else {
        summed.sums = plus(summed.sums, sums);
        summed.requests = exactSum(summed.requests, row.requests);
        summed.rows++;
      }
    }
    return [...byBucket.values()];
  }

  /**
   * What the store holds now, by bucketKeyId, for every bucket of each usage of a write that starts
   * between the first and the last start of that usage's buckets in it, whatever its other grouping
   * values or width: so the older Orgdeck's ungrouped bucket at a start is found beside the grouped
   * ones. One query per usage, where asking each bucket was a round trip apiece on PostgreSQL.
   */
  function currentOf(summed: readonly BucketSum[]): Map<string, BucketVersion> {
    const starts = new Map<string, { usage: BucketUsage; first: number; last: number }>();
    for (const { key } of summed) {
      const usageId = bucketKeyId({ ...key, bucket_start: 0, grouped_by: '' });
      const seen = starts.get(usageId);
      if (seen === undefined)
        starts.set(usageId, { usage: key, first: key.bucket_start, last: key.bucket_start });
      else {
        seen.first = Math.min(seen.first, key.bucket_start);
        seen.last = Math.max(seen.last, key.bucket_start);
      }
    }
    const current = new Map<string, BucketVersion>();
    for (const { usage, first, last } of starts.values())
      for (const { key, version } of buckets.startingBetween(usage, first, last))
        current.set(bucketKeyId(key), version);
    return current;
  }

  return {
    write(rows: readonly AttributedRow[]): BucketResult {
      attribution.refresh();
      const result: BucketResult = { imported: 0, replaced: 0, unchanged: 0 };
      const dayRows: number[] = [];
      const months = keyedSums(7, TOKEN_SUMS.length);
      const orgMonths = keyedSums(6, TOKEN_SUMS.length);
      const add = (model: ModelPrices, tier: number, counts: BucketCounts, sign: 1 | -1) => {
        const { day, agent, org, band } = counts;
        const sums = sumsOf(counts).map((sum) => sign * sum);
        const month = yyyymm(day);
        const price = periodOn(model, day)?.id ?? 0;
        dayRows.push(model.ref, day, agent, org, tier, band, ...sums, job);
        months.add([month, org, agent, model.ref, price, tier, band], sums);
        orgMonths.add([month, org, model.ref, price, tier, band], sums);
      };
      // In the store's key order: an export lists its buckets by time, the store keeps them by usage
      // then time, and a walk in key order reads and writes neighbouring pages (a re-export of
      // 60,000 buckets took ~15% longer in the export's order).
      const summed = sumsOfRows(rows).sort(inKeyOrder);
      // What the store holds for this write's buckets, read once, and what it will hold: every put
      // and retire below updates it (a put reaches the store at the end of the write, a retire at
      // once), so a bucket the file lists twice at two widths meets the first. An overlap with a
      // bucket put earlier in the write is for finish to see (overlapOf), once the puts are in.
      const current = currentOf(summed);
      // The buckets' new counts, written together once all are known (a statement per bucket cost
      // a round trip each on PostgreSQL); by key, so a key put twice is written once, as its last.
      const puts = new Map<string, BucketPut>();
      for (const bucket of summed) {
        const { key, end, model } = bucket;
        const tier = TIERS.indexOf(key.service_tier);
        // One id per bucket, for the write's maps: building it is most of a lookup's cost.
        const id = bucketKeyId(key);
        const before = current.get(id);
        // Overlaps with other buckets are asked of all this import's buckets at once (finish); two
        // cases are asked here, since finish would not see them: a bucket of this key and start but
        // another end (the put below would overwrite it), and one an older Orgdeck imported (end
        // unknown), which may keep its job.
        if (before?.bucket_end === null) {
          const other = buckets.overlapping(key, end);
          if (other !== undefined) throw widthConflict(named(bucket), other, job);
        } else if (before !== undefined && before.bucket_end !== end)
          throw widthConflict(
            named(bucket),
            { bucket_start: key.bucket_start, bucket_end: before.bucket_end, job: before.job },
            job,
          );
        if (before === undefined && key.grouped_by !== '[]') {
          // An older Orgdeck keyed buckets without these grouping fields, keeping one row of them
          // (the last it read): the rows grouped by them now replace it, as a re-export would.
          const ungroupedKey = { ...key, grouped_by: '[]' };
          const ungrouped = current.get(bucketKeyId(ungroupedKey));
          if (ungrouped?.bucket_end === null) {
            add(model, tier, ungrouped, -1);
            buckets.retire(ungroupedKey, ungrouped, job);
            current.delete(bucketKeyId(ungroupedKey));
          }
        }
        // This export listed the bucket before (in an earlier write): its rows are summed.
        const ownEarlier = before?.job === job ? before : undefined;
        const sums = ownEarlier === undefined ? bucket.sums : plus(ownEarlier, bucket.sums);
        // An import keeps its buckets' requests (null only on buckets an older Orgdeck imported).
        const requests =
          ownEarlier === undefined ? bucket.requests : exactSum(ownEarlier.requests ?? 0, bucket.requests);
        const day = Math.floor(key.bucket_start / DAY_MS);
        const slot = attribution.slotAt(bucket.agent, key.bucket_start);
        const prompt =
          sums.input_tokens + sums.cache_read_tokens + sums.cache_write_tokens + sums.cache_write_1h_tokens;
        const counts: BucketCounts = {
          day,
          agent: attribution.slotAgent(slot),
          org: attribution.slotOrg(slot),
          // Decided now against the price in effect that day, as a usage file's rows are.
          band: bandFor(periodOn(model, day)?.bands ?? [], prompt, requests, bucket.longContext),
          ...sums,
        };
        if (before !== undefined && ownEarlier === undefined && sameCounts(before, counts)) {
          // The same again as an older Orgdeck imported it: its end and requests are known now,
          // so buckets of other widths over it are seen.
          if (before.bucket_end === null) {
            const version = { ...before, bucket_end: end, requests };
            puts.set(id, { key, version, replaced: puts.get(id)?.replaced });
            current.set(id, version);
          }
          result.unchanged += bucket.rows;
          continue;
        }
        if (before === undefined || ownEarlier !== undefined) result.imported += bucket.rows;
        else result.replaced += bucket.rows;
        if (before !== undefined) add(model, tier, before, -1);
        add(model, tier, counts, 1);
        const version = { ...counts, job, bucket_end: end, requests };
        // Put twice, the counts kept for its undo are those the first put replaced.
        puts.set(id, {
          key,
          version,
          replaced: puts.get(id)?.replaced ?? before,
        });
        current.set(id, version);
      }
      buckets.putAll(puts.values());
      writes.appendDays(dayRows);
      writes.addMonths(months.rows());
      writes.addOrgMonths(orgMonths.rows());
      if (dayRows.length > 0) writes.bumpRevision();
      attribution.settle();
      return result;
    },
    /**
     * Refuses the import (throws) when a bucket it brought overlaps another of the same usage, or
     * where it brought counts to a usage and start, leaves out a bucket another import brought there.
     * A re-export lists every bucket again, changed or not, so only an export grouped (or filtered)
     * otherwise leaves one out; whether a field was grouped by cannot be told from its rows, where a
     * value may be null either way (Anthropic's account_id beside an API key's usage).
     */
    finish(): void {
      const overlap = buckets.overlapOf(job);
      if (overlap !== undefined) throw widthConflict(overlap, overlap.other, job);
      for (const beside of buckets.besideOf(job)) {
        const other = bucketKeyId({
          source: beside.source,
          bucket_start: beside.bucket_start,
          identities: beside.identities,
          model: beside.model_ref,
          service_tier: beside.service_tier,
          long_context: beside.long_context,
          grouped_by: beside.other.grouped_by,
        });
        if (listed.has(other)) continue;
        throw unlistedBeside(beside, beside.grouped_by, beside.other.grouped_by);
      }
    },
  };
}

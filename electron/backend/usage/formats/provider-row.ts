import { DAY_MS } from '../../../../shared/domain/days';
import type { Tier } from '../../../../shared/domain/token-pricing';
import type { UsageIdentity, UsageSource } from '../../../../shared/domain/usage-identity';
import { tokenCount, unsafeNumberIn } from '../usage-row';

/** A grouping field of a usage export, and the value a result was summed under. */
export type GroupValue = readonly [field: string, value: string];

/** The time span a provider summed a row over; its start and end are part of the row's replacement key. */
export interface UsageBucket {
  source: UsageSource;
  /** ISO 8601, UTC. */
  start: string;
  /** ISO 8601, UTC, after start: a bucket of another width is other usage, never its re-export. */
  end: string;
  /**
   * The export's grouping fields besides the identities, model, tier and band, with this result's
   * values (Anthropic's inference_geo, say): results of a bucket that differ in them are different
   * usage, so they are part of the key. Absent when the result names none.
   */
  groupedBy?: GroupValue[];
}

/**
 * One row of a provider's usage export in the vocabulary of our usage format: each token column is
 * its own category, none inside another (input_tokens is input neither read from nor written to a
 * cache; reasoning_tokens is the part of output_tokens that was reasoning, as in our format). In
 * place of an agent handle it carries the identities the provider named, most specific first, which
 * agent aliases map to an agent. Rows of aggregated exports carry their bucket: a re-export of the
 * same bucket replaces the earlier counts.
 */
export interface ProviderUsageRow {
  timestamp: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  reasoning_tokens: number;
  service_tier: Tier;
  requests: number;
  /** Absent when the export does not say; then the row's per-request prompt decides. */
  long_context?: boolean;
  /** Per-request rows: the provider's request id, for de-duplication. */
  id?: string;
  identities: UsageIdentity[];
  bucket?: UsageBucket;
}

/** A row, or why the record could not be read as one. */
export type ProviderParsed = ProviderUsageRow | string;

/** A record that is not a usage row; its message is the reason reported for it. */
export class BadRecord extends Error {}

/** Runs a record's reading; a BadRecord becomes the record's reason. */
export function readRecord(read: () => ProviderUsageRow): ProviderParsed {
  try {
    return read();
  } catch (error) {
    if (error instanceof BadRecord) return error.message;
    throw error;
  }
}

/** A JSON object's fields, or undefined for anything else. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A whole token count ≥ 0; absent or null counts as 0 (exports leave out zero categories). */
export function countOf(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') return 0;
  // As a usage file's counts are checked: digits or a whole number, at most MAX_TOKENS.
  const count = tokenCount(value, field);
  if (typeof count === 'string') throw new BadRecord(count);
  return count;
}

/**
 * A non-empty trimmed string (ids may come as numbers), or undefined. A whole number past 2^53 was
 * already rounded when the line was parsed, so two ids could read as one: refused, not guessed,
 * naming `field`.
 */
export function textOf(value: unknown, field = 'a value'): string | undefined {
  const unsafe = unsafeNumberIn(value, field);
  if (unsafe !== undefined) throw new BadRecord(unsafe);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/** Usage days are stored as 16-bit day numbers, as for our own format: 1970-01-01 to 2149-06-06. */
const LAST_MS = 65_536 * DAY_MS;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * An instant as "YYYY-MM-DDTHH:MM:SS(.sss)Z", from epoch seconds or an ISO 8601 text. A text
 * without a zone is UTC: LiteLLM's database keeps UTC times and some exports drop the "Z".
 */
export function instantOf(value: unknown, field: string): string {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (ISO_WITH_ZONE.test(text)) ms = Date.parse(text);
    else if (ISO_WITHOUT_ZONE.test(text)) ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  }
  if (!Number.isFinite(ms)) throw new BadRecord(`${field} must be a time (ISO 8601 or Unix seconds)`);
  if (ms < 0 || ms >= LAST_MS) throw new BadRecord(`${field} must fall between 1970 and 2149`);
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** The identities a record names, most specific first; a record naming none cannot be attributed. */
export function identitiesOf(
  source: UsageSource,
  named: readonly [UsageIdentity['kind'], unknown][],
  hint: string,
): UsageIdentity[] {
  const identities: UsageIdentity[] = [];
  for (const [kind, raw] of named) {
    const value = textOf(raw);
    if (value !== undefined) identities.push({ source, kind, value });
  }
  if (identities.length === 0) throw new BadRecord(`names no ${hint}, so no agent can be found for it`);
  return identities;
}

/** The fields of `fields` a result names a value for (null when not grouped by), in that order. */
export function groupedByOf(result: Record<string, unknown>, fields: readonly string[]): GroupValue[] {
  return fields.flatMap((field): GroupValue[] => {
    const value = textOf(result[field]);
    return value === undefined ? [] : [[field, value]];
  });
}

/** A usage-API time bucket from its start and end fields, which must be times with the end after the start. */
export function usageBucket(
  source: UsageSource,
  [startField, startValue]: readonly [string, unknown],
  [endField, endValue]: readonly [string, unknown],
  groupedBy: GroupValue[],
): UsageBucket {
  const start = instantOf(startValue, startField);
  const end = instantOf(endValue, endField);
  if (Date.parse(end) <= Date.parse(start)) throw new BadRecord(`${endField} must be after ${startField}`);
  return groupedBy.length === 0 ? { source, start, end } : { source, start, end, groupedBy };
}

export function modelOf(value: unknown): string {
  const model = textOf(value);
  if (model === undefined || model.length > 200)
    throw new BadRecord('model is missing (export grouped by model)');
  return model;
}

/** Reads one result of a usage-API bucket, with its bucket's fields, as a row; BadRecord when it is none. */
export type ResultReader = (
  result: Record<string, unknown>,
  bucket: Record<string, unknown>,
) => ProviderUsageRow;

/**
 * The `results` of each time bucket of a saved usage-API page (`{"object":"page","data":[bucket…]}`),
 * or of a bare bucket, or of an array of pages: `row` reads one result with its bucket's fields.
 */
export function pageRows(value: unknown, row: ResultReader): ProviderParsed[] {
  if (Array.isArray(value)) return value.flatMap((page) => pageRows(page, row));
  const page = objectOf(value);
  if (page === undefined) return ['not a JSON object'];
  const buckets = Array.isArray(page.data) ? page.data : Array.isArray(page.results) ? [page] : undefined;
  if (buckets === undefined) return ['not a usage page: it has no "data" list of time buckets'];
  return buckets.flatMap((raw): ProviderParsed[] => {
    const bucket = objectOf(raw);
    if (bucket === undefined || !Array.isArray(bucket.results))
      return ['a time bucket without a "results" list'];
    return bucket.results.map((result) =>
      readRecord(() => {
        const fields = objectOf(result);
        if (fields === undefined) throw new BadRecord('a result that is not a JSON object');
        return row(fields, bucket);
      }),
    );
  });
}

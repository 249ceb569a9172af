/**
 * OpenAI's Usage API for completions, pages saved from `GET /v1/organization/usage/completions`.
 *
 * Checked against the API reference (OpenAPI 2.3.0, `UsageCompletionsResult`, as generated clients
 * of it show) and OpenAI's Usage API cookbook:
 *   {"object":"page","data":[{"object":"bucket","start_time":<unix s>,"end_time":<unix s>,
 *     "results":[{"object":"organization.usage.completions.result","input_tokens","input_cached_tokens",
 *       "input_cache_write_tokens","input_cache_write_12h_tokens","input_uncached_tokens",
 *       "output_tokens","input_audio_tokens","output_audio_tokens","num_model_requests",
 *       "project_id","user_id","api_key_id","model","batch","service_tier"}]}],"has_more","next_page"}
 * - `input_tokens` INCLUDES `input_cached_tokens` and the cache writes ("including cached and
 *   cache-write tokens"), so the uncached input is `input_tokens − input_cached_tokens −
 *   input_cache_write_tokens − input_cache_write_12h_tokens`; counting them apart as well would bill
 *   those parts twice. Current references (OpenAI's API reference for the usage endpoints, and
 *   openai-client-base 0.16.0's `UsageCompletionsResult`, generated from the OpenAPI document 2.3.0)
 *   list the cache writes as `input_cache_write_tokens` (30-minute retention: our `cache_write`,
 *   the default write) and `input_cache_write_12h_tokens` (12-hour retention: our `cache_write_1h`,
 *   the category of a provider's longer-lived writes), and `input_uncached_tokens` ("excluding
 *   cache-write tokens"). Older saves have none of the three: no writes. When
 *   `input_uncached_tokens` is there it must agree with the subtraction, or the row is refused.
 * - `project_id`, `user_id`, `api_key_id`, `model`, `batch` are null unless the request grouped by
 *   them (`group_by=…`); a row needs at least one identity and its model.
 * - `batch: true` is the batch tier; a `service_tier` field (present when grouped by it) is read
 *   too (`default` and `auto` are the standard tier).
 * - `group_by` takes `project_id`, `user_id`, `api_key_id` (the identities), `model`, `batch` and
 *   `service_tier` (the tier): every grouping field is in the bucket's key. Results that differ only
 *   in values priced as one tier (`default` and `auto`; `batch: true` with any `service_tier`)
 *   share a key and are summed, never the later one replacing the earlier.
 * - No reasoning count: OpenAI reports and bills reasoning as output tokens.
 * - Audio and image tokens are inside `input_tokens` and `output_tokens` (their own counts are
 *   breakdowns of those): they are priced here at the text rates, having no category of their own.
 * - Aggregated: each row carries its bucket, so a re-export of the bucket replaces it.
 */
import type { Tier } from '../../../../shared/domain/token-pricing';
import {
  BadRecord,
  countOf,
  identitiesOf,
  modelOf,
  type ProviderParsed,
  pageRows,
  type ResultReader,
  textOf,
  usageBucket,
} from './provider-row';

const TIERS: Record<string, Tier> = {
  default: 'standard',
  auto: 'standard',
  standard: 'standard',
  batch: 'batch',
  flex: 'flex',
  priority: 'priority',
};

function tierOf(result: Record<string, unknown>): Tier {
  if (result.batch === true) return 'batch';
  const named = textOf(result.service_tier);
  if (named === undefined) return 'standard';
  const tier = TIERS[named.toLowerCase()];
  if (tier === undefined) throw new BadRecord(`service_tier "${named}" is not one Orgdeck prices`);
  return tier;
}

/** The bucket fields a result is read with. */
export const openAiBucketFields = ['start_time', 'end_time'] as const;

/** One result of a bucket of OpenAI's completions usage. */
export const openAiRow: ResultReader = (result, bucket) => {
  const span = usageBucket('openai', ['start_time', bucket.start_time], ['end_time', bucket.end_time], []);
  const input = countOf(result.input_tokens, 'input_tokens');
  const cached = countOf(result.input_cached_tokens, 'input_cached_tokens');
  const writes = countOf(result.input_cache_write_tokens, 'input_cache_write_tokens');
  const longWrites = countOf(result.input_cache_write_12h_tokens, 'input_cache_write_12h_tokens');
  if (cached > input)
    throw new BadRecord('input_cached_tokens is more than input_tokens, which includes them');
  const uncached = input - cached - writes - longWrites;
  if (uncached < 0)
    throw new BadRecord('the cached and cache-write tokens are more than input_tokens, which includes them');
  if (
    result.input_uncached_tokens !== undefined &&
    result.input_uncached_tokens !== null &&
    countOf(result.input_uncached_tokens, 'input_uncached_tokens') !== uncached
  )
    throw new BadRecord(
      'input_uncached_tokens is not input_tokens less the cached and cache-write tokens it includes',
    );
  return {
    timestamp: span.start,
    model: modelOf(result.model),
    input_tokens: uncached,
    output_tokens: countOf(result.output_tokens, 'output_tokens'),
    cache_read_tokens: cached,
    cache_write_tokens: writes,
    cache_write_1h_tokens: longWrites,
    reasoning_tokens: 0,
    service_tier: tierOf(result),
    requests: Math.max(1, countOf(result.num_model_requests, 'num_model_requests')),
    identities: identitiesOf(
      'openai',
      [
        ['api_key', result.api_key_id],
        ['user', result.user_id],
        ['project', result.project_id],
      ],
      'api_key_id, user_id or project_id (export with group_by=api_key_id or project_id)',
    ),
    bucket: span,
  };
};

/** The rows of one saved page (or an array of pages) of OpenAI's completions usage. */
export const openAiRows = (page: unknown): ProviderParsed[] => pageRows(page, openAiRow);

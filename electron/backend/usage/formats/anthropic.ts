/**
 * Anthropic's usage report, pages saved from `GET /v1/organizations/usage_report/messages`.
 *
 * Checked against the Admin API reference and Anthropic's Usage & Cost API cookbook:
 *   {"data":[{"starting_at":"<RFC 3339>","ending_at":"<RFC 3339>","results":[{"uncached_input_tokens",
 *     "cache_read_input_tokens","cache_creation":{"ephemeral_5m_input_tokens","ephemeral_1h_input_tokens"},
 *     "output_tokens","server_tool_use":{"web_search_requests"},"api_key_id","workspace_id","model",
 *     "service_tier","context_window"}]}],"has_more","next_page"}
 * - Every count is its own category: `uncached_input_tokens` holds no cache reads or writes.
 * - Cache creation is nested by lifetime in current reports; older saves and some tools write it
 *   flat (`cache_creation_input_tokens`, 5-minute) or with the lifetimes at the top level. The nested
 *   form wins when both are present, so a tool that writes both is not counted twice.
 * - `service_tier`: standard, batch, priority, priority_on_demand, flex, flex_discount; the last
 *   two variants are priced as their tier.
 * - `context_window` ("0-200k", "200k-1M") is the long-context band. The report only splits it when
 *   grouped by context_window; without it every row is reported under 0-200k, so it is not long.
 * - `api_key_id`, `workspace_id`, `model` are null unless grouped by them. There is no request count.
 * - `group_by[]` may also name `account_id`, `service_account_id`, `inference_geo` and `speed`
 *   (fast mode), which Orgdeck neither prices nor maps to agents: a bucket lists a result per value
 *   of each, so they are part of the bucket's key (GROUPED_BY), or the results would replace each
 *   other. Tiers priced alike (priority and priority_on_demand) share a key: their results are summed.
 * - Extended thinking is reported and billed as output tokens: no separate reasoning count.
 * - Server-tool requests (web search) are priced per request, not per token: left out.
 */
import type { Tier } from '../../../../shared/domain/token-pricing';
import {
  BadRecord,
  countOf,
  groupedByOf,
  identitiesOf,
  modelOf,
  objectOf,
  type ProviderParsed,
  pageRows,
  type ResultReader,
  textOf,
  usageBucket,
} from './provider-row';

const TIERS: Record<string, Tier> = {
  standard: 'standard',
  batch: 'batch',
  priority: 'priority',
  priority_on_demand: 'priority',
  flex: 'flex',
  flex_discount: 'flex',
};

function tierOf(value: unknown): Tier {
  const named = textOf(value);
  if (named === undefined) return 'standard';
  const tier = TIERS[named.toLowerCase()];
  if (tier === undefined) throw new BadRecord(`service_tier "${named}" is not one Orgdeck prices`);
  return tier;
}

function longContextOf(value: unknown): boolean {
  const band = textOf(value);
  if (band === undefined || band === '0-200k') return false;
  if (band === '200k-1M') return true;
  throw new BadRecord(`context_window "${band}" is not 0-200k or 200k-1M`);
}

/** 5-minute and 1-hour cache writes, from the nested form or, without it, the flat ones. */
function cacheWritesOf(result: Record<string, unknown>): { fiveMinutes: number; oneHour: number } {
  const nested = objectOf(result.cache_creation);
  if (nested !== undefined)
    return {
      fiveMinutes: countOf(nested.ephemeral_5m_input_tokens, 'cache_creation.ephemeral_5m_input_tokens'),
      oneHour: countOf(nested.ephemeral_1h_input_tokens, 'cache_creation.ephemeral_1h_input_tokens'),
    };
  const flatLifetimes =
    result.ephemeral_5m_input_tokens !== undefined || result.ephemeral_1h_input_tokens !== undefined;
  return flatLifetimes
    ? {
        fiveMinutes: countOf(result.ephemeral_5m_input_tokens, 'ephemeral_5m_input_tokens'),
        oneHour: countOf(result.ephemeral_1h_input_tokens, 'ephemeral_1h_input_tokens'),
      }
    : { fiveMinutes: countOf(result.cache_creation_input_tokens, 'cache_creation_input_tokens'), oneHour: 0 };
}

/** The bucket fields a result is read with. */
export const anthropicBucketFields = ['starting_at', 'ending_at'] as const;

/** The report's grouping fields that are neither identities, model, tier nor band. */
const GROUPED_BY = ['account_id', 'service_account_id', 'inference_geo', 'speed'] as const;

/** One result of a bucket of Anthropic's messages usage report. */
export const anthropicRow: ResultReader = (result, bucket) => {
  const span = usageBucket(
    'anthropic',
    ['starting_at', bucket.starting_at],
    ['ending_at', bucket.ending_at],
    groupedByOf(result, GROUPED_BY),
  );
  const writes = cacheWritesOf(result);
  return {
    timestamp: span.start,
    model: modelOf(result.model),
    input_tokens: countOf(result.uncached_input_tokens, 'uncached_input_tokens'),
    output_tokens: countOf(result.output_tokens, 'output_tokens'),
    cache_read_tokens: countOf(result.cache_read_input_tokens, 'cache_read_input_tokens'),
    cache_write_tokens: writes.fiveMinutes,
    cache_write_1h_tokens: writes.oneHour,
    reasoning_tokens: 0,
    service_tier: tierOf(result.service_tier),
    requests: 1,
    long_context: longContextOf(result.context_window),
    identities: identitiesOf(
      'anthropic',
      [
        ['api_key', result.api_key_id],
        ['workspace', result.workspace_id],
      ],
      'api_key_id or workspace_id (export with group_by[]=api_key_id or workspace_id)',
    ),
    bucket: span,
  };
};

/** The rows of one saved page (or an array of pages) of Anthropic's messages usage report. */
export const anthropicRows = (page: unknown): ProviderParsed[] => pageRows(page, anthropicRow);

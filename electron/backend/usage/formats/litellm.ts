/**
 * LiteLLM's spend logs: the `LiteLLM_SpendLogs` rows as its API (`GET /spend/logs`, a JSON array;
 * `/spend/logs/ui`, `{"data":[…]}`) or a JSON Lines dump gives them.
 *
 * Checked against LiteLLM's SpendLogs schema (schema.prisma and its typed copy in litellm-js) and
 * its spend-tracking docs: one row per request with `request_id`, `startTime`, `endTime`, `model`,
 * `prompt_tokens`, `completion_tokens`, `total_tokens`, `spend`, `api_key` (the hashed key),
 * `user`, `team_id`, `end_user`, `call_type`, `cache_hit` and `metadata` (a JSON object, or its
 * text), whose `usage_object` keeps the provider's usage in LiteLLM's OpenAI-style shape:
 * `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens` and, for
 * Anthropic models, `cache_read_input_tokens`, `cache_creation_input_tokens` and
 * `cache_creation_token_details` (5-minute and 1-hour writes).
 * - `prompt_tokens` follows OpenAI: it INCLUDES cache reads and (for Anthropic models, which
 *   LiteLLM maps to that shape) cache writes, so uncached input = prompt − reads − writes. A row
 *   whose reads and writes exceed its prompt is refused rather than guessed at.
 * - `completion_tokens` includes `reasoning_tokens`, as our output_tokens does.
 * - Per request: `request_id` is the row's id, seen once and skipped after; no bucket.
 * - Identities: `api_key`, then `user`, `end_user` (both kind user), then `team_id`.
 */
import {
  BadRecord,
  countOf,
  identitiesOf,
  instantOf,
  modelOf,
  objectOf,
  type ProviderParsed,
  readRecord,
  textOf,
} from './provider-row';

function metadataOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return objectOf(value) ?? {};
  try {
    return objectOf(JSON.parse(value)) ?? {};
  } catch {
    throw new BadRecord('metadata is not valid JSON');
  }
}

function row(log: Record<string, unknown>): ProviderParsed {
  return readRecord(() => {
    const usage = objectOf(metadataOf(log.metadata).usage_object) ?? {};
    const promptDetails = objectOf(usage.prompt_tokens_details) ?? {};
    const completionDetails = objectOf(usage.completion_tokens_details) ?? {};
    const writeDetails = objectOf(usage.cache_creation_token_details) ?? {};
    const prompt = countOf(log.prompt_tokens, 'prompt_tokens');
    // Anthropic's own count when LiteLLM kept it; else OpenAI's, which names the same tokens.
    const read =
      usage.cache_read_input_tokens !== undefined && usage.cache_read_input_tokens !== null
        ? countOf(usage.cache_read_input_tokens, 'cache_read_input_tokens')
        : countOf(promptDetails.cached_tokens, 'prompt_tokens_details.cached_tokens');
    const writes = countOf(usage.cache_creation_input_tokens, 'cache_creation_input_tokens');
    const oneHour = countOf(writeDetails.ephemeral_1h_input_tokens, 'ephemeral_1h_input_tokens');
    if (oneHour > writes) throw new BadRecord('1-hour cache writes exceed cache_creation_input_tokens');
    if (read + writes > prompt)
      throw new BadRecord('cache reads and writes exceed prompt_tokens, which includes them');
    const output = countOf(log.completion_tokens, 'completion_tokens');
    const reasoning = countOf(completionDetails.reasoning_tokens, 'reasoning_tokens');
    if (reasoning > output)
      throw new BadRecord('reasoning_tokens exceed completion_tokens, which includes them');
    const id = textOf(log.request_id, 'request_id');
    if (id === undefined) throw new BadRecord('request_id is missing');
    return {
      timestamp: instantOf(log.startTime, 'startTime'),
      model: modelOf(log.model),
      input_tokens: prompt - read - writes,
      output_tokens: output,
      cache_read_tokens: read,
      cache_write_tokens: writes - oneHour,
      cache_write_1h_tokens: oneHour,
      reasoning_tokens: reasoning,
      service_tier: 'standard',
      requests: 1,
      id,
      identities: identitiesOf(
        'litellm',
        [
          ['api_key', log.api_key],
          ['user', log.user],
          ['user', log.end_user],
          ['team', log.team_id],
        ],
        'api_key, user, end_user or team_id',
      ),
    };
  });
}

/** The rows of one spend-log value: a row, an array of rows, or `{"data":[rows]}`. */
export function liteLlmRows(value: unknown): ProviderParsed[] {
  if (Array.isArray(value)) return value.flatMap(liteLlmRows);
  const log = objectOf(value);
  if (log === undefined) return ['not a JSON object'];
  if (Array.isArray(log.data) && log.request_id === undefined) return log.data.flatMap(liteLlmRows);
  return [row(log)];
}

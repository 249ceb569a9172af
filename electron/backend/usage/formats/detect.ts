import { open } from 'node:fs/promises';
import type { UsageFormat } from '../../../../shared/domain/usage-identity';

/** Field names only one format writes, as JSON keys. */
const key = (name: string) => new RegExp(`"${name}"\\s*:`);
const ANTHROPIC = [key('uncached_input_tokens'), key('cache_creation')];
const OPENAI = [
  /"organization\.usage\.completions\.result"/,
  // A page of no results still says what it is.
  /"object"\s*:\s*"page"/,
  key('input_cached_tokens'),
  key('num_model_requests'),
];
const LITELLM = [key('request_id'), key('startTime')];
const OURS = ['timestamp', 'agent', 'model', 'input_tokens', 'output_tokens'];

export const UNKNOWN_FORMAT =
  'This is not a usage file Orgdeck knows. Expected our CSV or JSON Lines (timestamp, agent, model, ' +
  'input_tokens, output_tokens), a saved page of OpenAI’s completions usage (data[].results[] with ' +
  'input_tokens and input_cached_tokens), a saved page of Anthropic’s messages usage report ' +
  '(data[].results[] with uncached_input_tokens) or LiteLLM spend logs (request_id, startTime, ' +
  'prompt_tokens, completion_tokens).';

/**
 * Which format a usage file is in, from its first bytes (a few KiB are enough: every format names
 * its fields in its first record), or undefined when it is none Orgdeck reads. A file naming some
 * of our columns is taken for ours, so a missing column is reported by name, as before detection.
 */
export function detectUsageFormat(head: string): UsageFormat | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  if (text.startsWith('{') || text.startsWith('[')) {
    if (ANTHROPIC.some((field) => field.test(text)) && /"starting_at"\s*:/.test(text)) return 'anthropic';
    if (OPENAI.some((field) => field.test(text))) return 'openai';
    if (LITELLM.every((field) => field.test(text))) return 'litellm';
    return firstLine.startsWith('{') && OURS.some((name) => key(name).test(firstLine))
      ? 'orgdeck'
      : undefined;
  }
  // A header with some of our columns is ours: its reader then names the ones it lacks.
  const header = firstLine.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '').toLowerCase());
  return OURS.some((name) => header.includes(name)) ? 'orgdeck' : undefined;
}

/** Enough of a file to know its format: its first record's field names are in it. */
const HEAD_BYTES = 64 * 1024;

/** The format of the usage file at `path`, from its first bytes. */
export async function detectFileFormat(path: string): Promise<UsageFormat | undefined> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, HEAD_BYTES, 0);
    return detectUsageFormat(head.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await file.close();
  }
}

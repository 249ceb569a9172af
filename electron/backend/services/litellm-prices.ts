import { MAX_PRICE_PICO_PER_TOKEN } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { isExactAtScale, toScaled } from '../../../shared/domain/decimal';
import type { Category, Tier } from '../../../shared/domain/token-pricing';

/** LiteLLM gives USD per token; pico-USD is 12 decimals. */
const PER_TOKEN_SCALE = 12;

/** One rate of a LiteLLM entry, in pico-USD per token. */
export interface LitellmRate {
  category: Category;
  tier: Tier;
  above: number;
  pico: bigint;
}

export interface LitellmEntry {
  model: string;
  input: bigint;
  output: bigint;
  /** Every other rate it names: categories, tiers, bands. */
  rates: LitellmRate[];
  rounded: boolean;
  /** The entry's price fields Orgdeck does not bill (audio, image, per query …), by name. */
  leftOut: string[];
}

/** LiteLLM's field for each category, longest first so a prefix never wins over its longer form. */
const CATEGORY_FIELDS: [string, Category][] = [
  ['cache_creation_input_token_cost_above_1hr', 'cache_write_1h'],
  ['cache_creation_input_token_cost', 'cache_write'],
  ['cache_read_input_token_cost', 'cache_read'],
  ['input_cost_per_token_cache_hit', 'cache_read'],
  ['output_cost_per_reasoning_token', 'reasoning'],
  ['input_cost_per_token', 'input'],
  ['output_cost_per_token', 'output'],
];
const TIER_SUFFIXES: Record<string, Tier> = { batches: 'batch', flex: 'flex', priority: 'priority' };
/** A field's band and tier suffixes: `_above_200k_tokens`, `_priority`, or both in that order. */
const SUFFIXES = /^(?:_above_(\d+)k_tokens)?(?:_(batches|flex|priority))?$/;

/** The category, tier and band a LiteLLM field prices, or undefined for a field Orgdeck does not bill. */
export function litellmField(name: string): { category: Category; tier: Tier; above: number } | undefined {
  for (const [prefix, category] of CATEGORY_FIELDS) {
    if (!name.startsWith(prefix)) continue;
    const suffix = SUFFIXES.exec(name.slice(prefix.length));
    if (!suffix) continue;
    return {
      category,
      tier: suffix[2] ? (TIER_SUFFIXES[suffix[2]] as Tier) : 'standard',
      above: suffix[1] ? Number(suffix[1]) * 1000 : 0,
    };
  }
  return undefined;
}

const MAX_PRICE = BigInt(MAX_PRICE_PICO_PER_TOKEN);

const isPrice = (value: unknown): value is number =>
  typeof value === 'number' && value >= 0 && Number.isFinite(value);

/** Reads a LiteLLM cost map: { model: { input_cost_per_token, output_cost_per_token, ... } }. */
export function parseLitellm(content: string): {
  entries: LitellmEntry[];
  skipped: { model: string; reason: string }[];
} {
  let map: unknown;
  try {
    map = JSON.parse(content);
  } catch {
    throw new AppError('VALIDATION', 'The file is not valid JSON.', {
      issues: [{ path: ['content'], message: 'Not JSON' }],
    });
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    throw new AppError('VALIDATION', 'A LiteLLM cost map is a JSON object keyed by model name.');
  }
  const entries: LitellmEntry[] = [];
  const skipped: { model: string; reason: string }[] = [];
  for (const [model, spec] of Object.entries(map as Record<string, unknown>)) {
    if (model === 'sample_spec') continue;
    const fields = (spec ?? {}) as Record<string, unknown>;
    if (!isPrice(fields.input_cost_per_token) || !isPrice(fields.output_cost_per_token)) {
      skipped.push({ model, reason: 'no input_cost_per_token and output_cost_per_token' });
      continue;
    }
    let rounded = false;
    // String() of a JSON number gives its shortest exact decimal form, e.g. 3e-06 → "0.000003".
    const pico = (value: number) => {
      const text = String(value);
      if (!isExactAtScale(text, PER_TOKEN_SCALE)) rounded = true;
      return toScaled(text, PER_TOKEN_SCALE) ?? 0n;
    };
    const rates: LitellmRate[] = [];
    const leftOut: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'input_cost_per_token' || name === 'output_cost_per_token') continue;
      const field = litellmField(name);
      if (field && isPrice(value)) {
        // A second field for the same rate (a cache hit price beside a cache read price) adds nothing.
        const same = rates.some(
          (rate) =>
            rate.category === field.category && rate.tier === field.tier && rate.above === field.above,
        );
        if (!same) rates.push({ ...field, pico: pico(value) });
      } else if (name.includes('cost')) leftOut.push(name);
    }
    const input = pico(fields.input_cost_per_token);
    const output = pico(fields.output_cost_per_token);
    // What prices.set refuses, and an archive of the org could not carry.
    if ([input, output, ...rates.map((rate) => rate.pico)].some((price) => price > MAX_PRICE)) {
      skipped.push({ model, reason: 'a price above 999,999.999999 USD per million tokens' });
      continue;
    }
    entries.push({ model: model.slice(0, 200), input, output, rates, rounded, leftOut: leftOut.sort() });
  }
  return { entries, skipped };
}

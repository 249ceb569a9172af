/**
 * How providers bill tokens: categories, service tiers, long-context bands and the fallbacks when a
 * price lacks one of them. Pure rules, shared by the import (which band a row falls in), the
 * reports (what a rollup row costs) and the price editor.
 */

/** Token categories a price may name, each priced per token in pico-USD. */
export const CATEGORIES = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'reasoning',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Service tiers, by the integer usage rollups store them as (their index). */
export const TIERS = ['standard', 'batch', 'flex', 'priority'] as const;
export type Tier = (typeof TIERS)[number];

/** The categories a report breaks cost down by: 1-hour cache writes count as cache writes. */
export const COST_CATEGORIES = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

/** One price beyond a period's standard input and output: a category, in a tier, in a band. */
export interface Rate {
  category: Category;
  tier: Tier;
  /** The band's threshold in prompt tokens per request; 0 for no band. */
  above: number;
  pico: bigint;
}

/** A price period: the standard input and output prices and every other rate it names. */
export interface PriceRates {
  input: bigint;
  output: bigint;
  rates: Rate[];
}

/** What a category falls back to when a price does not name it. */
const CATEGORY_FALLBACK: Record<Category, Category | null> = {
  input: null,
  output: null,
  cache_read: 'input',
  cache_write: 'input',
  cache_write_1h: 'cache_write',
  reasoning: 'output',
};

/** The band thresholds a price names, ascending. */
export function bandsOf(price: PriceRates): number[] {
  return [...new Set(price.rates.filter((rate) => rate.above > 0).map((rate) => rate.above))].sort(
    (a, b) => a - b,
  );
}

/**
 * The band a row of `requests` requests with `prompt` prompt tokens in all falls in: the highest
 * threshold its prompt per request exceeds (compared as prompt > threshold × requests, exactly),
 * or 0. `longContext`, when the row says it, decides instead: the lowest band, or none.
 */
export function bandFor(
  bands: readonly number[],
  prompt: number,
  requests: number,
  longContext: boolean | null,
): number {
  if (longContext !== null) return longContext ? (bands[0] ?? 0) : 0;
  let band = 0;
  for (const above of bands) if (prompt > above * Math.max(1, requests)) band = above;
  return band;
}

/** A rule a cost used because the price did not name what it needed, as reports list them. */
export type Fallback =
  | { kind: 'category'; from: Category; to: Category }
  | { kind: 'tier'; category: Category; tier: Tier }
  | { kind: 'band'; category: Category; above: number; to: number };

export const fallbackText = (fallback: Fallback): string =>
  fallback.kind === 'category'
    ? `${fallback.from} at the ${fallback.to} price`
    : fallback.kind === 'tier'
      ? `${fallback.category} in the ${fallback.tier} tier at the standard price`
      : `${fallback.category} above ${fallback.above} prompt tokens at the price ${fallback.to === 0 ? 'without a band' : `above ${fallback.to}`}`;

function named(price: PriceRates, category: Category, tier: Tier, above: number): bigint | undefined {
  if (tier === 'standard' && above === 0) {
    if (category === 'input') return price.input;
    if (category === 'output') return price.output;
  }
  for (const rate of price.rates)
    if (rate.category === category && rate.tier === tier && rate.above === above) return rate.pico;
  return undefined;
}

/**
 * The price of one token of `category` in `tier` and band `above`, and the fallbacks that led to
 * it. Within a category, the band is kept before the tier (a long-context batch token without its
 * own price costs the standard long-context price: the higher, so a margin is never overstated),
 * then lower bands are tried; only a category no tier or band names falls back to another one.
 */
export function rateOf(
  price: PriceRates,
  category: Category,
  tier: Tier,
  above: number,
  bands: readonly number[] = bandsOf(price),
): { pico: bigint; fallbacks: Fallback[] } {
  const fallbacks: Fallback[] = [];
  const below = [above, ...bands.filter((band) => band < above).reverse(), 0].filter(
    (band, at, all) => all.indexOf(band) === at,
  );
  for (let current: Category | null = category; current !== null; current = CATEGORY_FALLBACK[current]) {
    for (const band of below) {
      for (const candidate of tier === 'standard' ? (['standard'] as const) : ([tier, 'standard'] as const)) {
        const pico = named(price, current, candidate, band);
        if (pico === undefined) continue;
        if (band !== above) fallbacks.push({ kind: 'band', category: current, above, to: band });
        if (candidate !== tier) fallbacks.push({ kind: 'tier', category: current, tier });
        return { pico, fallbacks };
      }
    }
    const next = CATEGORY_FALLBACK[current];
    if (next !== null) fallbacks.push({ kind: 'category', from: current, to: next });
  }
  // input and output always have a standard price: unreachable.
  throw new Error(`No ${category} price`);
}

/** Token counts of one slice of usage, each a separate count except reasoning (part of output). */
export interface TokenCounts {
  input: bigint;
  output: bigint;
  cache_read: bigint;
  cache_write: bigint;
  cache_write_1h: bigint;
  reasoning: bigint;
}

export interface SliceCost {
  /** Pico-USD per report category. */
  byCategory: Record<CostCategory, bigint>;
  total: bigint;
  /** What cache reads saved against the input price (same tier and band), in pico-USD. */
  cacheSavings: bigint;
  fallbacks: Fallback[];
}

/**
 * The exact cost of a slice of usage in one tier and band at a price: every category at the rate
 * that applies, reasoning tokens at `reasoning` and the rest of the output at `output`.
 */
export function sliceCost(price: PriceRates, tokens: TokenCounts, tier: Tier, above: number): SliceCost {
  const bands = bandsOf(price);
  const fallbacks: Fallback[] = [];
  const at = (category: Category, count: bigint): bigint => {
    if (count === 0n) return 0n;
    const rate = rateOf(price, category, tier, above, bands);
    fallbacks.push(...rate.fallbacks);
    return count * rate.pico;
  };
  const byCategory: Record<CostCategory, bigint> = {
    input: at('input', tokens.input),
    cache_read: at('cache_read', tokens.cache_read),
    cache_write: at('cache_write', tokens.cache_write) + at('cache_write_1h', tokens.cache_write_1h),
    output: at('output', tokens.output - tokens.reasoning),
    reasoning: at('reasoning', tokens.reasoning),
  };
  const cacheSavings =
    tokens.cache_read === 0n
      ? 0n
      : tokens.cache_read * rateOf(price, 'input', tier, above, bands).pico - byCategory.cache_read;
  const total =
    byCategory.input +
    byCategory.cache_read +
    byCategory.cache_write +
    byCategory.output +
    byCategory.reasoning;
  return { byCategory, total, cacheSavings, fallbacks };
}

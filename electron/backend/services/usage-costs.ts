import {
  COST_CATEGORIES,
  type CostCategory,
  type Fallback,
  fallbackText,
  type PriceRates,
  sliceCost,
  TIERS,
} from '../../../shared/domain/token-pricing';
import type { PriceRateRow, PriceRow } from '../store/repos/prices-repo';
import type { UsageSlice } from '../store/repos/usage-repo';

/** Tokens and exact cost (pico-USD) of some usage, summed over slices. */
export interface CostedUsage {
  input_tokens: bigint;
  output_tokens: bigint;
  cache_read_tokens: bigint;
  /** 5-minute and 1-hour cache writes together. */
  cache_write_tokens: bigint;
  reasoning_tokens: bigint;
  unpriced_tokens: bigint;
  cost_pico: bigint;
  by_category: Record<CostCategory, bigint>;
  /** What cache reads saved against the input price. */
  savings_pico: bigint;
}

const noCategories = (): Record<CostCategory, bigint> => ({
  input: 0n,
  cache_read: 0n,
  cache_write: 0n,
  output: 0n,
  reasoning: 0n,
});

export const NO_USAGE: CostedUsage = {
  input_tokens: 0n,
  output_tokens: 0n,
  cache_read_tokens: 0n,
  cache_write_tokens: 0n,
  reasoning_tokens: 0n,
  unpriced_tokens: 0n,
  cost_pico: 0n,
  by_category: noCategories(),
  savings_pico: 0n,
};

export function addCosted(a: CostedUsage, b: CostedUsage): CostedUsage {
  const by_category = noCategories();
  for (const category of COST_CATEGORIES)
    by_category[category] = a.by_category[category] + b.by_category[category];
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
    cache_write_tokens: a.cache_write_tokens + b.cache_write_tokens,
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    unpriced_tokens: a.unpriced_tokens + b.unpriced_tokens,
    cost_pico: a.cost_pico + b.cost_pico,
    by_category,
    savings_pico: a.savings_pico + b.savings_pico,
  };
}

/** The fallbacks costs used: per model, the rules its price needed. */
export type UsedFallbacks = Map<string, Set<string>>;

/**
 * Every price period with its rates, by model_prices id, to cost rollup slices with: loaded with
 * the billing snapshot, so once per billing revision.
 */
export function createPriceBook(prices: PriceRow[], rates: Map<number, PriceRateRow[]>) {
  const byId = new Map<number, { model: string; rates: PriceRates }>(
    prices.map((row) => [
      row.id,
      {
        model: row.model,
        rates: {
          input: BigInt(row.input_pico),
          output: BigInt(row.output_pico),
          rates: (rates.get(row.id) ?? []).map((rate) => ({
            category: rate.category,
            tier: rate.tier,
            above: rate.above,
            pico: BigInt(rate.pico),
          })),
        },
      },
    ]),
  );

  /** One slice's tokens and cost; the fallbacks it used are added to `used`. */
  function cost(slice: UsageSlice, used?: UsedFallbacks): CostedUsage {
    const tokens = {
      input: slice.input_tokens,
      output: slice.output_tokens,
      cache_read: slice.cache_read_tokens,
      cache_write: slice.cache_write_tokens,
      cache_write_1h: slice.cache_write_1h_tokens,
      reasoning: slice.reasoning_tokens,
    };
    const counted = {
      input_tokens: tokens.input,
      output_tokens: tokens.output,
      cache_read_tokens: tokens.cache_read,
      cache_write_tokens: tokens.cache_write + tokens.cache_write_1h,
      reasoning_tokens: tokens.reasoning,
    };
    const price = byId.get(slice.price);
    if (!price) {
      return {
        ...counted,
        unpriced_tokens:
          tokens.input + tokens.output + tokens.cache_read + tokens.cache_write + tokens.cache_write_1h,
        cost_pico: 0n,
        by_category: noCategories(),
        savings_pico: 0n,
      };
    }
    const result = sliceCost(price.rates, tokens, TIERS[slice.tier] ?? 'standard', slice.band);
    if (used) for (const fallback of result.fallbacks) note(used, price.model, fallback);
    return {
      ...counted,
      unpriced_tokens: 0n,
      cost_pico: result.total,
      by_category: result.byCategory,
      savings_pico: result.cacheSavings,
    };
  }

  return {
    cost,
    /** The model a price period (a slice's `price`) belongs to; undefined for unpriced usage. */
    modelOf: (priceId: number) => byId.get(priceId)?.model,
    /** The slices' tokens and cost summed. */
    total(slices: UsageSlice[], used?: UsedFallbacks): CostedUsage {
      let sum = NO_USAGE;
      for (const slice of slices) sum = addCosted(sum, cost(slice, used));
      return sum;
    },
  };
}

function note(used: UsedFallbacks, model: string, fallback: Fallback): void {
  const rules = used.get(model);
  if (rules) rules.add(fallbackText(fallback));
  else used.set(model, new Set([fallbackText(fallback)]));
}

export type PriceBook = ReturnType<typeof createPriceBook>;

import { describe, expect, it } from 'vitest';
import { bandFor, fallbackText, type PriceRates, rateOf } from '../../../shared/domain/token-pricing';

const PRICE: PriceRates = {
  input: 2_000_000n,
  output: 8_000_000n,
  rates: [
    { category: 'cache_write', tier: 'standard', above: 0, pico: 2_500_000n },
    { category: 'input', tier: 'standard', above: 128_000, pico: 3_000_000n },
    { category: 'input', tier: 'standard', above: 272_000, pico: 4_000_000n },
    { category: 'input', tier: 'flex', above: 0, pico: 1_000_000n },
  ],
};

describe('bandFor', () => {
  it('puts a row in the highest band its prompt per request exceeds, never one it only reaches', () => {
    const bands = [128_000, 272_000];
    expect(bandFor(bands, 128_000, 1, null)).toBe(0);
    expect(bandFor(bands, 128_001, 1, null)).toBe(128_000);
    expect(bandFor(bands, 272_001, 1, null)).toBe(272_000);
    // 3 requests of 100,000.33 each: below the band, though the row's sum is far above it.
    expect(bandFor(bands, 300_001, 3, null)).toBe(0);
    expect(bandFor(bands, 384_003, 3, null)).toBe(128_000);
  });

  it('lets the long_context column decide when the row says', () => {
    expect(bandFor([128_000, 272_000], 10, 1, true)).toBe(128_000);
    expect(bandFor([128_000], 900_000, 1, false)).toBe(0);
    expect(bandFor([], 900_000, 1, true)).toBe(0);
  });
});

describe('rateOf', () => {
  it('falls back per the rules and says which ones it used', () => {
    expect(rateOf(PRICE, 'cache_write_1h', 'standard', 0)).toEqual({
      pico: 2_500_000n,
      fallbacks: [{ kind: 'category', from: 'cache_write_1h', to: 'cache_write' }],
    });
    const cacheRead = rateOf(PRICE, 'cache_read', 'flex', 0);
    expect(cacheRead.pico).toBe(1_000_000n);
    expect(cacheRead.fallbacks.map(fallbackText)).toEqual(['cache_read at the input price']);
    // Above 300,000 with only the 272,000 band's input price: that one; output has no band price.
    expect(rateOf(PRICE, 'input', 'standard', 272_000).pico).toBe(4_000_000n);
    expect(rateOf(PRICE, 'output', 'standard', 272_000).fallbacks.map(fallbackText)).toEqual([
      'output above 272000 prompt tokens at the price without a band',
    ]);
    // A band the price no longer has falls to the one below it.
    expect(rateOf(PRICE, 'input', 'standard', 200_000).fallbacks.map(fallbackText)).toEqual([
      'input above 200000 prompt tokens at the price above 128000',
    ]);
    // A long-context flex token: the band is kept before the tier.
    expect(rateOf(PRICE, 'input', 'flex', 128_000)).toEqual({
      pico: 3_000_000n,
      fallbacks: [{ kind: 'tier', category: 'input', tier: 'flex' }],
    });
  });
});

/**
 * An axis for values from `low` to `high`: about `count` ticks on round steps (1, 2 or 5 times a
 * power of ten), the first at or below `low` and the last at or above `high`; zero is always one.
 */
export function axisTicks(low: number, high: number, count = 4): number[] {
  const from = Math.min(0, low);
  const to = Math.max(0, high);
  if (from === to) return [0, 1];
  const rough = (to - from) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5].find((factor) => factor * power >= rough) ?? 10) * power;
  const first = Math.floor(from / step);
  const last = Math.ceil(to / step);
  // Whole multiples of the step (rounded back from float noise: 3 × 0.2 is 0.6000000000000001).
  return Array.from({ length: last - first + 1 }, (_, index) =>
    Number(((first + index) * step).toPrecision(12)),
  );
}

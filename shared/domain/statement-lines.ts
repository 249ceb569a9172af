/**
 * The kinds of line a statement carries: agent fees; usage by model (tokens at cost, with the usage
 * fee charged on it); the included allowance (what it takes off usage) and the minimum's top-up.
 * An adjustment is a line of any kind that corrects an earlier, closed month.
 */
export const LINE_KINDS = ['agent_fee', 'usage', 'included_allowance', 'minimum_top_up'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** One line as computed from a month's billing, exact: amounts in micro-USD, cost in pico-USD. */
export interface BilledLine {
  kind: LineKind;
  /** Names the line within its month (an agent id, a model): what a later recomputation is compared by. */
  key: string;
  /** What the line bills, without its part of the month: how an adjustment to it is described. */
  about: string;
  description: string;
  agent: { handle: string; name: string } | null;
  model: string | null;
  /** Billable days of an agent fee, to 2 decimals. */
  days: string | null;
  rateMicros: bigint | null;
  tokens: bigint;
  costPico: bigint;
  /** The markup percent a usage line's charge carries, as a decimal string; null: not rebilled. */
  markupPct: string | null;
  /** What the client is charged. */
  amountMicros: bigint;
}

/** What earlier statements billed for one line of a month, summed. */
export interface BilledFigures {
  kind: string;
  key: string;
  description: string;
  amount_micros: bigint;
  cost_pico: bigint;
  tokens: bigint;
}

/** A difference between a month recomputed now and what its statements billed: still to bill. */
export interface LineDifference {
  kind: LineKind;
  key: string;
  description: string;
  amountMicros: bigint;
  costPico: bigint;
  tokens: bigint;
}

const isLineKind = (kind: string): kind is LineKind => (LINE_KINDS as readonly string[]).includes(kind);

/**
 * Per line (kind and key), the recomputed figures less everything billed for them so far; lines
 * that did not change are left out. A line that vanished (an undone import) is billed back in full.
 */
export function lineDifferences(
  now: readonly BilledLine[],
  billed: readonly BilledFigures[],
): LineDifference[] {
  const sums = new Map<string, LineDifference>();
  const entry = (kind: string, key: string, description: string): LineDifference | undefined => {
    if (!isLineKind(kind)) return undefined;
    const id = `${kind}\u0000${key}`;
    let sum = sums.get(id);
    if (!sum) {
      sum = { kind, key, description, amountMicros: 0n, costPico: 0n, tokens: 0n };
      sums.set(id, sum);
    }
    return sum;
  };
  for (const line of now) {
    const sum = entry(line.kind, line.key, line.description);
    if (!sum) continue;
    sum.description = line.about;
    sum.amountMicros += line.amountMicros;
    sum.costPico += line.costPico;
    sum.tokens += line.tokens;
  }
  for (const line of billed) {
    const sum = entry(line.kind, line.key, line.description);
    if (!sum) continue;
    sum.amountMicros -= line.amount_micros;
    sum.costPico -= line.cost_pico;
    sum.tokens -= line.tokens;
  }
  return [...sums.values()].filter((d) => d.amountMicros !== 0n || d.costPico !== 0n || d.tokens !== 0n);
}

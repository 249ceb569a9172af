/**
 * Usage rebilling: what an org pays for its AI usage in a month, and how that splits over its
 * agents. All exact integer arithmetic (BigInt), rounded once per org.
 *
 * - Each piece of usage (an agent's cost with one model over part of the month) is rebilled at the
 *   markup in effect for it: the model's override, else the org's usage markup; a piece with
 *   neither is not rebilled (its cost is the MSP's alone).
 * - The included allowance covers the same share of every rebilled piece: with C the rebilled
 *   cost, M the same cost with its markups (Σ cost × (1 + markup)) and A the allowance,
 *   fee = M × max(0, C − A) ÷ C, rounded half-up to the cent.
 * - An agent's part of the fee is its share of M (its own cost with its own markups); parts are
 *   rounded down to the cent and the cents left over go to the largest remainders (ties: agent id
 *   order), so the parts always add up to the org's fee.
 */
import { divRound } from './decimal';

const PICO_PER_CENT = 10_000_000_000n;
const PICO_PER_MICRO = 1_000_000n;
const MICROS_PER_CENT = 10_000n;
const BASIS = 10_000n;

export interface MarkedUpCost {
  agentId: string;
  costPico: bigint;
  /** Basis points; null: not rebilled. */
  markupBp: bigint | null;
}

export interface UsageFee {
  /** The org's usage fee, whole cents in micro-USD. */
  feeMicros: bigint;
  /** Each agent's part, in micro-USD; they add up to feeMicros. */
  byAgent: Map<string, bigint>;
}

export function usageFee(pieces: Iterable<MarkedUpCost>, includedMicros: bigint): UsageFee {
  let rebilled = 0n;
  let markedUpSum = 0n;
  const markedUpByAgent = new Map<string, bigint>();
  for (const piece of pieces) {
    if (piece.markupBp === null || piece.costPico === 0n) continue;
    const amount = markedUp(piece.costPico, piece.markupBp);
    rebilled += piece.costPico;
    markedUpSum += amount;
    markedUpByAgent.set(piece.agentId, (markedUpByAgent.get(piece.agentId) ?? 0n) + amount);
  }
  const excess = rebilled - includedMicros * PICO_PER_MICRO;
  const byAgent = new Map<string, bigint>();
  if (excess <= 0n || markedUpSum === 0n) {
    for (const agentId of markedUpByAgent.keys()) byAgent.set(agentId, 0n);
    return { feeMicros: 0n, byAgent };
  }
  const feeCents = divRound(markedUpSum * excess, rebilled * BASIS * PICO_PER_CENT);
  for (const [agentId, cents] of shareOut(feeCents, markedUpByAgent))
    byAgent.set(agentId, cents * MICROS_PER_CENT);
  return { feeMicros: feeCents * MICROS_PER_CENT, byAgent };
}

/** A cost with its markup, scaled by 10,000 (basis points): what `markedUpCents` rounds. */
export const markedUp = (costPico: bigint, markupBp: bigint) => costPico * (BASIS + markupBp);

/** Marked-up cost (as `markedUp` gives it) rounded half-up to whole cents. */
export const markedUpCents = (amount: bigint) => divRound(amount, BASIS * PICO_PER_CENT);

/**
 * Whole cents shared out in proportion to weights: each share rounded down, then the cents left
 * over to the largest remainders (ties: key order), so the shares always add up to the whole.
 * With no weight at all, the first key takes everything.
 */
export function shareOut<K extends string>(
  totalCents: bigint,
  weights: Iterable<[K, bigint]>,
): Map<K, bigint> {
  const entries = [...weights];
  const whole = entries.reduce((sum, [, weight]) => sum + weight, 0n);
  if (whole === 0n) return new Map(entries.map(([key], index) => [key, index === 0 ? totalCents : 0n]));
  const shares = entries.map(([key, weight]) => ({
    key,
    cents: (totalCents * weight) / whole,
    remainder: (totalCents * weight) % whole,
  }));
  let left = totalCents - shares.reduce((sum, share) => sum + share.cents, 0n);
  const order = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? (a.key < b.key ? -1 : 1) : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of order) {
    if (left === 0n) break;
    share.cents += 1n;
    left -= 1n;
  }
  return new Map(shares.map((share) => [share.key, share.cents]));
}

/** What tops an org's revenue up to its minimum monthly charge, in micro-USD (0 when above it). */
export function minimumTopUp(revenueMicros: bigint, minimumMicros: bigint): bigint {
  return revenueMicros < minimumMicros ? minimumMicros - revenueMicros : 0n;
}

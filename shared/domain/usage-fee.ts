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
  let markedUp = 0n;
  const markedUpByAgent = new Map<string, bigint>();
  for (const piece of pieces) {
    if (piece.markupBp === null || piece.costPico === 0n) continue;
    const amount = piece.costPico * (BASIS + piece.markupBp);
    rebilled += piece.costPico;
    markedUp += amount;
    markedUpByAgent.set(piece.agentId, (markedUpByAgent.get(piece.agentId) ?? 0n) + amount);
  }
  const excess = rebilled - includedMicros * PICO_PER_MICRO;
  const byAgent = new Map<string, bigint>();
  if (excess <= 0n || markedUp === 0n) {
    for (const agentId of markedUpByAgent.keys()) byAgent.set(agentId, 0n);
    return { feeMicros: 0n, byAgent };
  }
  const feeCents = divRound(markedUp * excess, rebilled * BASIS * PICO_PER_CENT);
  // Largest remainders: floor each share of markedUp, then hand out the cents left.
  const shares = [...markedUpByAgent].map(([agentId, amount]) => ({
    agentId,
    cents: (feeCents * amount) / markedUp,
    remainder: (feeCents * amount) % markedUp,
  }));
  let left = feeCents - shares.reduce((sum, share) => sum + share.cents, 0n);
  const order = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? (a.agentId < b.agentId ? -1 : 1) : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of order) {
    if (left === 0n) break;
    share.cents += 1n;
    left -= 1n;
  }
  for (const share of shares) byAgent.set(share.agentId, share.cents * MICROS_PER_CENT);
  return { feeMicros: feeCents * MICROS_PER_CENT, byAgent };
}

/** What tops an org's revenue up to its minimum monthly charge, in micro-USD (0 when above it). */
export function minimumTopUp(revenueMicros: bigint, minimumMicros: bigint): bigint {
  return revenueMicros < minimumMicros ? minimumMicros - revenueMicros : 0n;
}

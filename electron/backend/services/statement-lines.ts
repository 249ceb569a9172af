import { markupText } from '../../../shared/domain/billing-terms';
import { DAY_MS } from '../../../shared/domain/days';
import { formatScaled } from '../../../shared/domain/decimal';
import type { BilledLine } from '../../../shared/domain/statement-lines';
import { markedUp, markedUpCents, shareOut } from '../../../shared/domain/usage-fee';
import type { AgentModelUsage, OrgMonthBilling } from './margins-service';
import { addCosted, type CostedUsage, NO_USAGE } from './usage-costs';

const byName = new Intl.Collator();
const MICROS_PER_CENT = 10_000n;
const monthOf = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long' });

/** Every token a usage line counts: output includes reasoning, cache writes both durations. */
export const totalTokens = (usage: CostedUsage) =>
  usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens;

/** A part of a month by its UTC days, as terms are dated: "1–14 October", "15 October". */
function daysOf(from: number, to: number): string {
  const first = new Date(from).getUTCDate();
  const last = new Date(to - 1).getUTCDate();
  return `${first === last ? first : `${first}–${last}`} ${monthOf.format(new Date(from))}`;
}

const money = (micros: bigint) => formatScaled(micros / MICROS_PER_CENT, 2);

/** One usage line in the making: a model over consecutive parts of the month at one markup. */
interface UsageRun {
  model: string;
  from: number;
  to: number;
  markupBp: bigint | null;
  usage: CostedUsage;
  /** Its cost with the markup, scaled as `markedUp` gives it (0 when not rebilled). */
  markedUp: bigint;
}

/** Per model, its usage over the month, a run per stretch with one markup (most months: one). */
function usageRuns(usage: AgentModelUsage[]): UsageRun[] {
  const sorted = [...usage].sort((a, b) => byName.compare(a.model, b.model) || a.from - b.from);
  const runs: UsageRun[] = [];
  for (const piece of sorted) {
    const amount = piece.markupBp === null ? 0n : markedUp(piece.usage.cost_pico, piece.markupBp);
    const last = runs.at(-1);
    if (last && last.model === piece.model && last.markupBp === piece.markupBp) {
      last.to = Math.max(last.to, piece.to);
      last.usage = addCosted(last.usage, piece.usage);
      last.markedUp += amount;
    } else {
      runs.push({
        model: piece.model,
        from: piece.from,
        to: piece.to,
        markupBp: piece.markupBp,
        usage: addCosted(NO_USAGE, piece.usage),
        markedUp: amount,
      });
    }
  }
  return runs;
}

/** A line for the org's month as a whole: no agent, model, days, rate, tokens or cost of its own. */
const orgLine = (
  kind: BilledLine['kind'],
  key: string,
  about: string,
  description: string,
  amountMicros: bigint,
): BilledLine => ({
  kind,
  key,
  about,
  description,
  agent: null,
  model: null,
  days: null,
  rateMicros: null,
  tokens: 0n,
  costPico: 0n,
  markupPct: null,
  amountMicros,
});

/**
 * The one place a month's billing becomes statement lines; they add up to the org's revenue as the
 * margins report computes it:
 * - an agent-fee line per agent with its billable days and rate (one per part of the month when a
 *   prorated rate changed during its time, each at its rate, dated; the parts add up to its fee);
 * - a usage line per model with its tokens, cost, markup and the usage fee charged on it: its cost
 *   with the markup, the org's marked-up usage rounded once to the cent and shared out over the
 *   lines (a line per stretch of the month when the model's markup changed; 0.00 when not rebilled);
 * - the included allowance, when the month has one: what it takes off those lines, so that usage
 *   comes to the org's usage fee exactly;
 * - the top-up to the minimum monthly charge, when revenue is below it.
 * A line's `about` names what it bills without the part of the month: later differences are
 * compared and described per kind and key.
 */
export function linesOfMonth(billing: OrgMonthBilling): BilledLine[] {
  const fees = [...billing.fees]
    .sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.handle, b.handle))
    .flatMap((fee) => {
      const about = `Agent ${fee.name} (@${fee.handle})`;
      return fee.parts.map(
        (part): BilledLine => ({
          kind: 'agent_fee',
          key: fee.agentId,
          about,
          description: fee.parts.length > 1 ? `${about}, ${daysOf(part.from, part.to)}` : about,
          agent: { handle: fee.handle, name: fee.name },
          model: null,
          days: formatScaled(BigInt(Math.round((part.billableMs / DAY_MS) * 100)), 2),
          rateMicros: BigInt(part.rateMicros),
          tokens: 0n,
          costPico: 0n,
          markupPct: null,
          amountMicros: part.feeMicros,
        }),
      );
    });

  const runs = usageRuns(billing.usage);
  const runsOf = new Map<string, number>();
  for (const run of runs) runsOf.set(run.model, (runsOf.get(run.model) ?? 0) + 1);
  const key = (index: number) => String(index).padStart(6, '0');
  const beforeAllowance = markedUpCents(runs.reduce((sum, run) => sum + run.markedUp, 0n));
  const charged = shareOut(
    beforeAllowance,
    runs.map((run, index) => [key(index), run.markedUp]),
  );
  const usage = runs.map((run, index): BilledLine => {
    const about = `AI usage: ${run.model}`;
    return {
      kind: 'usage',
      key: run.model,
      about,
      description: (runsOf.get(run.model) ?? 0) > 1 ? `${about}, ${daysOf(run.from, run.to)}` : about,
      agent: null,
      model: run.model,
      days: null,
      rateMicros: null,
      tokens: totalTokens(run.usage),
      costPico: run.usage.cost_pico,
      markupPct: run.markupBp === null ? null : markupText(run.markupBp),
      amountMicros: run.markedUp === 0n ? 0n : (charged.get(key(index)) ?? 0n) * MICROS_PER_CENT,
    };
  });

  const rebilled = runs.some((run) => run.markedUp > 0n);
  const allowance =
    billing.includedMicros > 0n && rebilled
      ? [
          orgLine(
            'included_allowance',
            'included',
            'Included usage allowance',
            `Included usage: first ${money(billing.includedMicros)} USD at cost`,
            billing.usageFeeMicros - beforeAllowance * MICROS_PER_CENT,
          ),
        ]
      : [];
  const minimum =
    billing.minimumTopUpMicros > 0n
      ? [
          orgLine(
            'minimum_top_up',
            'minimum',
            'Minimum monthly charge',
            `Minimum monthly charge of ${money(billing.minimumMicros)} USD: top-up`,
            billing.minimumTopUpMicros,
          ),
        ]
      : [];
  return [...fees, ...usage, ...allowance, ...minimum];
}

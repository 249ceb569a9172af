import { DAY_MS } from '../../../shared/domain/days';
import { formatScaled } from '../../../shared/domain/decimal';
import type { BilledLine } from '../../../shared/domain/statement-lines';
import type { OrgMonthBilling } from './margins-service';
import { addCosted, type CostedUsage, NO_USAGE } from './usage-costs';

const byName = new Intl.Collator();

/** Every token a usage line counts: output includes reasoning, cache writes both durations. */
export const totalTokens = (usage: CostedUsage) =>
  usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens;

/**
 * The one place a month's billing becomes statement lines: an agent-fee line per agent (its days
 * and rate), then a usage line per model (tokens, cost, and what is charged on it). The usage
 * rebilling rules (usage fee with markup, included allowance, minimum top-up) add their lines here.
 * Until they exist usage is not charged: a usage line shows tokens and cost at 0.00 charged.
 */
export function linesOfMonth(billing: OrgMonthBilling): BilledLine[] {
  const fees = [...billing.fees]
    .sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.handle, b.handle))
    .map(
      (fee): BilledLine => ({
        kind: 'agent_fee',
        key: fee.agentId,
        description: `Agent ${fee.name} (@${fee.handle})`,
        agent: { handle: fee.handle, name: fee.name },
        model: null,
        days: formatScaled(BigInt(Math.round((fee.billableMs / DAY_MS) * 100)), 2),
        rateMicros: fee.rateMicros,
        tokens: 0n,
        costPico: 0n,
        markupPct: null,
        amountMicros: fee.feeMicros,
      }),
    );
  const byModel = new Map<string, CostedUsage>();
  for (const { model, usage } of billing.usage)
    byModel.set(model, addCosted(byModel.get(model) ?? NO_USAGE, usage));
  const usage = [...byModel]
    .sort(([a], [b]) => byName.compare(a, b))
    .map(
      ([model, sum]): BilledLine => ({
        kind: 'usage',
        key: model,
        description: `AI usage: ${model}`,
        agent: null,
        model,
        days: null,
        rateMicros: null,
        tokens: totalTokens(sum),
        costPico: sum.cost_pico,
        markupPct: null,
        amountMicros: 0n,
      }),
    );
  return [...fees, ...usage];
}

import type { Price } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { formatScaled, isExactAtScale, toScaled, trimZeros } from '../../../shared/domain/decimal';
import type { Clock } from '../store/clock';
import type { PriceRow } from '../store/repos/prices-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { refuseBackdating } from './effective-date';
import type { Principal } from './principal';

/** Pico-USD per token is micro-USD per million tokens: six decimals of USD per million. */
const PER_MILLION_SCALE = 6;
/** LiteLLM gives USD per token; pico-USD is 12 decimals. */
const PER_TOKEN_SCALE = 12;

/** USD per million tokens with 2 to 6 decimals: "2.50", "0.075". */
export function perMillion(pico: number): string {
  const [whole, fraction = ''] = trimZeros(formatScaled(BigInt(pico), PER_MILLION_SCALE)).split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

const toPrice = (row: PriceRow): Price => ({
  model: row.model,
  from: row.effective_from,
  input: perMillion(row.input_pico),
  output: perMillion(row.output_pico),
  source: row.source,
});

interface LitellmEntry {
  model: string;
  input: bigint;
  output: bigint;
  rounded: boolean;
}

/** Reads a LiteLLM cost map: { model: { input_cost_per_token, output_cost_per_token, ... } }. */
function parseLitellm(content: string): {
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
    const raw = [fields.input_cost_per_token, fields.output_cost_per_token];
    if (raw.some((value) => typeof value !== 'number' || value < 0 || !Number.isFinite(value))) {
      skipped.push({ model, reason: 'no input_cost_per_token and output_cost_per_token' });
      continue;
    }
    // String() of a JSON number gives its shortest exact decimal form, e.g. 3e-06 → "0.000003".
    const [input, output] = raw.map((value) => String(value)) as [string, string];
    entries.push({
      model: model.slice(0, 200),
      input: toScaled(input, PER_TOKEN_SCALE) ?? 0n,
      output: toScaled(output, PER_TOKEN_SCALE) ?? 0n,
      rounded: !isExactAtScale(input, PER_TOKEN_SCALE) || !isExactAtScale(output, PER_TOKEN_SCALE),
    });
  }
  return { entries, skipped };
}

export function createPricesService(store: Store, clock: Clock, audit: AuditLog) {
  const today = () => clock.now().toISOString().slice(0, 10);

  /** The price in effect on `day` for each model, to compare an import against. */
  function currentAt(day: string): Map<string, PriceRow> {
    const current = new Map<string, PriceRow>();
    for (const row of store.prices.all()) if (row.effective_from <= day) current.set(row.model, row);
    return current;
  }

  function preview(content: string, from = today()) {
    const { entries, skipped } = parseLitellm(content);
    const current = currentAt(from);
    const changes = entries.map((entry) => {
      const before = current.get(entry.model);
      const after = { input: perMillion(Number(entry.input)), output: perMillion(Number(entry.output)) };
      const same =
        before && BigInt(before.input_pico) === entry.input && BigInt(before.output_pico) === entry.output;
      return {
        model: entry.model,
        kind: !before ? ('new' as const) : same ? ('same' as const) : ('changed' as const),
        before: before
          ? { input: perMillion(before.input_pico), output: perMillion(before.output_pico) }
          : null,
        after,
        rounded: entry.rounded,
      };
    });
    return { from, changes, skipped, entries };
  }

  return {
    list: (): Price[] => store.prices.all().map(toPrice),

    set(actor: Principal, input: { model: string; input: string; output: string; from?: string }): Price {
      if (input.from) refuseBackdating(actor, input.from, today());
      const row = {
        model: input.model,
        effective_from: input.from ?? today(),
        input_pico: Number(toScaled(input.input, PER_MILLION_SCALE)),
        output_pico: Number(toScaled(input.output, PER_MILLION_SCALE)),
        source: 'manual',
        created_at: clock.now().toISOString(),
      };
      store.transaction(() => {
        const opensPeriod = !store.prices.has(row.model, row.effective_from);
        store.prices.upsert(row);
        // Costs are computed per price period: usage already imported moves to a new period; a
        // period's new amounts apply through the period it already has.
        if (opensPeriod) store.usage.rebucketModel(row.model, row.effective_from);
        audit.record(actor, {
          action: 'price.set',
          orgId: null,
          target: { type: 'model', id: row.model },
          summary: { after: { from: row.effective_from, input: input.input, output: input.output } },
        });
      });
      return toPrice({ ...row, id: 0 });
    },

    preview(content: string, from?: string) {
      const { entries: _entries, ...shown } = preview(content, from);
      return shown;
    },

    importLitellm(actor: Principal, content: string, from?: string): { applied: number; from: string } {
      if (from) refuseBackdating(actor, from, today());
      const result = preview(content, from);
      const changed = new Set(
        result.changes.filter((change) => change.kind !== 'same').map((change) => change.model),
      );
      const now = clock.now().toISOString();
      store.transaction(() => {
        for (const entry of result.entries) {
          if (!changed.has(entry.model)) continue;
          const opensPeriod = !store.prices.has(entry.model, result.from);
          store.prices.upsert({
            model: entry.model,
            effective_from: result.from,
            input_pico: Number(entry.input),
            output_pico: Number(entry.output),
            source: 'litellm',
            created_at: now,
          });
          if (opensPeriod) store.usage.rebucketModel(entry.model, result.from);
        }
        audit.record(actor, {
          action: 'price.imported',
          orgId: null,
          target: { type: 'prices', id: 'litellm' },
          summary: { after: { from: result.from, models: changed.size } },
        });
      });
      return { applied: changed.size, from: result.from };
    },
  };
}

export type PricesService = ReturnType<typeof createPricesService>;

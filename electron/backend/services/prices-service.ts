import type { Price, PriceRate } from '../../../shared/contract/billing';
import { AppError } from '../../../shared/contract/envelope';
import { formatScaled, toScaled, trimZeros } from '../../../shared/domain/decimal';
import { mayBackdate } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { NewRate, PriceRateRow, PriceRow } from '../store/repos/prices-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { refuseBackdating } from './effective-date';
import { parseLitellm } from './litellm-prices';
import type { Principal } from './principal';
import type { UsageRewrites } from './usage-rewrites';

/** Pico-USD per token is micro-USD per million tokens: six decimals of USD per million. */
const PER_MILLION_SCALE = 6;

/** USD per million tokens with 2 to 6 decimals: "2.50", "0.075". */
export function perMillion(pico: number): string {
  const [whole, fraction = ''] = trimZeros(formatScaled(BigInt(pico), PER_MILLION_SCALE)).split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

const ratesOf = (rows: PriceRateRow[] = []): Price['rates'] =>
  rows.map((rate) => ({
    category: rate.category,
    tier: rate.tier,
    above: rate.above,
    price: perMillion(rate.pico),
  }));

/** The `after` half of a price.set entry in the trail: the period as the price list shows it. */
export const priceSetAfter = (
  row: Pick<PriceRow, 'effective_from' | 'input_pico' | 'output_pico'>,
  rates: NewRate[],
) => ({
  from: row.effective_from,
  input: perMillion(row.input_pico),
  output: perMillion(row.output_pico),
  rates: ratesOf(rates.map((rate) => ({ price: 0, ...rate }))),
});

const toPrice = (row: PriceRow, rates?: PriceRateRow[]): Price => ({
  model: row.model,
  from: row.effective_from,
  input: perMillion(row.input_pico),
  output: perMillion(row.output_pico),
  rates: ratesOf(rates),
  source: row.source,
});

/** Two lists of rates name the same prices, whatever their order. */
function sameRates(a: { category: string; tier: string; above: number; pico: bigint }[], b: PriceRateRow[]) {
  return (
    a.length === b.length &&
    a.every((rate) =>
      b.some(
        (row) =>
          row.category === rate.category &&
          row.tier === rate.tier &&
          row.above === rate.above &&
          BigInt(row.pico) === rate.pico,
      ),
    )
  );
}

export function createPricesService(store: Store, clock: Clock, audit: AuditLog, rewrites: UsageRewrites) {
  const today = () => clock.now().toISOString().slice(0, 10);

  /** The price in effect on `day` for each model, to compare an import against. */
  function currentAt(day: string): Map<string, PriceRow> {
    const current = new Map<string, PriceRow>();
    for (const row of store.prices.all()) if (row.effective_from <= day) current.set(row.model, row);
    return current;
  }

  /**
   * Where an import's prices start when no day is named: the first day of the usage already
   * imported, so every imported month is priced; today when there is none, or for a role that
   * may not date a change in the past.
   */
  function defaultFrom(actor: Principal): string {
    const first = store.usage.firstDay();
    return first !== null && first < today() && mayBackdate(actor.role) ? first : today();
  }

  function preview(content: string, from: string) {
    const { entries, skipped } = parseLitellm(content);
    const current = currentAt(from);
    const rates = store.prices.rates();
    const changes = entries.map((entry) => {
      const before = current.get(entry.model);
      const after = { input: perMillion(Number(entry.input)), output: perMillion(Number(entry.output)) };
      const same =
        before &&
        BigInt(before.input_pico) === entry.input &&
        BigInt(before.output_pico) === entry.output &&
        sameRates(entry.rates, rates.get(before.id) ?? []);
      return {
        model: entry.model,
        kind: !before ? ('new' as const) : same ? ('same' as const) : ('changed' as const),
        before: before
          ? { input: perMillion(before.input_pico), output: perMillion(before.output_pico) }
          : null,
        after,
        rounded: entry.rounded,
        rates: entry.rates.length,
        left_out: entry.leftOut,
      };
    });
    return { from, months_priced: store.usage.monthsFrom(from.slice(0, 7)), changes, skipped, entries };
  }

  /** Sets the price; its months move to it afterwards, see `set`. */
  function setNow(
    actor: Principal,
    input: { model: string; input?: string; output?: string; rates?: PriceRate[]; from?: string },
  ): Price {
    if (input.from) refuseBackdating(actor, input.from, today());
    const from = input.from ?? today();
    // What the input leaves out stays as the price in effect that day has it.
    const before = currentAt(from).get(input.model);
    if (before === undefined && (input.input === undefined || input.output === undefined)) {
      throw new AppError(
        'VALIDATION',
        `${input.model} has no price on ${from} yet: give its input and output.`,
        {
          issues: [
            { path: [input.input === undefined ? 'input' : 'output'], message: 'Required for a new model' },
          ],
        },
      );
    }
    const pico = (text: string | undefined, kept: number) =>
      text === undefined ? kept : Number(toScaled(text, PER_MILLION_SCALE));
    const row = {
      model: input.model,
      effective_from: from,
      input_pico: pico(input.input, before?.input_pico ?? 0),
      output_pico: pico(input.output, before?.output_pico ?? 0),
      source: 'manual',
      created_at: clock.now().toISOString(),
    };
    const rates =
      input.rates === undefined
        ? (store.prices.rates().get(before?.id ?? 0) ?? []).map(({ price: _price, ...rate }) => rate)
        : input.rates.map((rate) => ({
            category: rate.category,
            tier: rate.tier,
            above: rate.above,
            pico: Number(toScaled(rate.price, PER_MILLION_SCALE)),
          }));
    store.transaction(() => {
      const opensPeriod = !store.prices.has(row.model, row.effective_from);
      store.prices.upsert(row, rates);
      // Costs are computed per price period: usage already imported moves to a new period; a
      // period's new amounts apply through the period it already has.
      if (opensPeriod) store.usage.rebucketModel(row.model, row.effective_from);
      audit.record(actor, {
        action: 'price.set',
        orgId: null,
        target: { type: 'model', id: row.model },
        summary: { after: priceSetAfter(row, rates) },
      });
    });
    return toPrice(
      { ...row, id: 0 },
      rates.map((rate) => ({ price: 0, ...rate })),
    );
  }

  /** Imports the map; the months of the prices it opens move afterwards, see `importLitellm`. */
  function importLitellmNow(
    actor: Principal,
    content: string,
    from?: string,
  ): { applied: number; from: string; months_priced: number } {
    if (from) refuseBackdating(actor, from, today());
    const result = preview(content, from ?? defaultFrom(actor));
    const changed = new Set(
      result.changes.filter((change) => change.kind !== 'same').map((change) => change.model),
    );
    const now = clock.now().toISOString();
    store.transaction(() => {
      for (const entry of result.entries) {
        if (!changed.has(entry.model)) continue;
        const opensPeriod = !store.prices.has(entry.model, result.from);
        store.prices.upsert(
          {
            model: entry.model,
            effective_from: result.from,
            input_pico: Number(entry.input),
            output_pico: Number(entry.output),
            source: 'litellm',
            created_at: now,
          },
          entry.rates.map((rate) => ({ ...rate, pico: Number(rate.pico) })),
        );
        if (opensPeriod) store.usage.rebucketModel(entry.model, result.from);
      }
      audit.record(actor, {
        action: 'price.imported',
        orgId: null,
        target: { type: 'prices', id: 'litellm' },
        summary: { after: { from: result.from, models: changed.size } },
      });
    });
    return { applied: changed.size, from: result.from, months_priced: result.months_priced };
  }

  return {
    list(): Price[] {
      const rates = store.prices.rates();
      return store.prices.all().map((row) => toPrice(row, rates.get(row.id)));
    },

    /**
     * Answered once every month has moved to the new price, so reports after it are exact; other
     * writes go on between the months (see UsageRewrites).
     */
    async set(
      actor: Principal,
      input: { model: string; input?: string; output?: string; rates?: PriceRate[]; from?: string },
    ): Promise<Price> {
      const price = await rewrites.whenSettled(() => setNow(actor, input));
      await rewrites.settled();
      return price;
    },

    preview(actor: Principal, content: string, from?: string) {
      const { entries: _entries, ...shown } = preview(content, from ?? defaultFrom(actor));
      return shown;
    },

    async importLitellm(actor: Principal, content: string, from?: string) {
      const applied = await rewrites.whenSettled(() => importLitellmNow(actor, content, from));
      await rewrites.settled();
      return applied;
    },
  };
}

export type PricesService = ReturnType<typeof createPricesService>;

import type { Category, Tier } from '../../../../shared/domain/token-pricing';
import type { Db } from '../engine';

export interface PriceRow {
  id: number;
  model: string;
  effective_from: string;
  input_pico: number;
  output_pico: number;
  source: string;
  created_at: string;
}

/** One rate of a price period beyond its standard input and output (model_price_rates). */
export interface PriceRateRow {
  price: number;
  category: Category;
  tier: Tier;
  above: number;
  pico: number;
}

export type NewRate = Omit<PriceRateRow, 'price'>;

export function createPricesRepo(db: Db) {
  const all = db.prepare<[], PriceRow>('SELECT * FROM model_prices ORDER BY model, effective_from');
  const allRates = db.prepare<[], PriceRateRow>(
    'SELECT price, category, tier, above, pico FROM model_price_rates ORDER BY price, category, tier, above',
  );
  const upsert = db.prepare<Omit<PriceRow, 'id'>>(
    `INSERT INTO model_prices (model, effective_from, input_pico, output_pico, source, created_at)
     VALUES (:model, :effective_from, :input_pico, :output_pico, :source, :created_at)
     ON CONFLICT (model, effective_from) DO UPDATE SET
       input_pico = excluded.input_pico, output_pico = excluded.output_pico, source = excluded.source`,
  );
  const idOf = db
    .prepare<[string, string], number>('SELECT id FROM model_prices WHERE model = ? AND effective_from = ?')
    .pluck();
  const clearRates = db.prepare<[number]>('DELETE FROM model_price_rates WHERE price = ?');
  const addRate = db.prepare<PriceRateRow>(
    `INSERT INTO model_price_rates (price, category, tier, above, pico)
     VALUES (:price, :category, :tier, :above, :pico)`,
  );
  return {
    all: () => all.all(),
    /** Every period's other rates, by price id. */
    rates(): Map<number, PriceRateRow[]> {
      const byPrice = new Map<number, PriceRateRow[]>();
      for (const row of allRates.iterate()) {
        const list = byPrice.get(row.price);
        if (list) list.push(row);
        else byPrice.set(row.price, [row]);
      }
      return byPrice;
    },
    has: (model: string, from: string) => idOf.get(model, from) !== undefined,
    /** Writes the period's prices, its other rates replaced by `rates` (caller's transaction). */
    upsert(row: Omit<PriceRow, 'id'>, rates: NewRate[] = []): void {
      upsert.run(row);
      const price = idOf.get(row.model, row.effective_from) as number;
      clearRates.run(price);
      for (const rate of rates) addRate.run({ price, ...rate });
    },
  };
}

export type PricesRepo = ReturnType<typeof createPricesRepo>;

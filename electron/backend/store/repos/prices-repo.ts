import type { Db } from '../database';

export interface PriceRow {
  id: number;
  model: string;
  effective_from: string;
  input_pico: number;
  output_pico: number;
  source: string;
  created_at: string;
}

export function createPricesRepo(db: Db) {
  const all = db.prepare<[], PriceRow>('SELECT * FROM model_prices ORDER BY model, effective_from');
  const upsert = db.prepare<Omit<PriceRow, 'id'>>(
    `INSERT INTO model_prices (model, effective_from, input_pico, output_pico, source, created_at)
     VALUES (:model, :effective_from, :input_pico, :output_pico, :source, :created_at)
     ON CONFLICT (model, effective_from) DO UPDATE SET
       input_pico = excluded.input_pico, output_pico = excluded.output_pico, source = excluded.source`,
  );
  const exists = db
    .prepare<[string, string], number>('SELECT 1 FROM model_prices WHERE model = ? AND effective_from = ?')
    .pluck();
  return {
    all: () => all.all(),
    has: (model: string, from: string) => exists.get(model, from) !== undefined,
    upsert: (row: Omit<PriceRow, 'id'>) => void upsert.run(row),
  };
}

export type PricesRepo = ReturnType<typeof createPricesRepo>;

import type { Db } from '../engine';

export function createSettingsRepo(db: Db) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare<{ key: string; value: string }>(
    'INSERT INTO settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    /** Stored values by key, JSON-decoded; keys never set are absent. */
    all(): Record<string, unknown> {
      return Object.fromEntries(all.all().map(({ key, value }) => [key, JSON.parse(value)]));
    },
    set: (key: string, value: unknown) => void upsert.run({ key, value: JSON.stringify(value) }),
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;

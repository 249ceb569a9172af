import type { Db } from '../engine';

export type RefKind = 'agent' | 'org' | 'model';

/** No ref's id is larger: the upper end of a range of refs that runs to the last. */
export const LAST_REF_ID = Number.MAX_SAFE_INTEGER;

/** The integers usage tables name agents, orgs and models by (usage_refs). */
export function createUsageRefs(db: Db) {
  const add = db.prepare<[RefKind, string]>('INSERT OR IGNORE INTO usage_refs (kind, name) VALUES (?, ?)');
  const get = db
    .prepare<[RefKind, string], number>('SELECT id FROM usage_refs WHERE kind = ? AND name = ?')
    .pluck();
  return {
    /** The name's integer, or undefined when nothing of it was ever imported. */
    find: (kind: RefKind, name: string): number | undefined => get.get(kind, name),
    /** The name's integer, giving it one first if it has none. */
    ref(kind: RefKind, name: string): number {
      add.run(kind, name);
      return get.get(kind, name) as number;
    },
  };
}

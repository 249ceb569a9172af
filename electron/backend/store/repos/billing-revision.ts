import type { Db } from '../engine';

/**
 * The one owner of billing_revision: a counter every change a report depends on moves (triggers on
 * orgs, agents, assignments, inactivity and prices; imports and re-pricing through `bump`), so
 * reports and the importer can keep what they loaded until it moves.
 */
export function createBillingRevision(db: Db) {
  const read = db.prepare<[], number>('SELECT n FROM billing_revision').pluck();
  const bump = db.prepare('UPDATE billing_revision SET n = n + 1');
  const moveAbove = db.prepare<{ seen: number }>('UPDATE billing_revision SET n = max(n, :seen) + 1');
  return {
    current: (): number => read.get() ?? 0,
    bump: (): void => void bump.run(),
    /** A revision no cache has seen, when the store's content was replaced under them (a restore). */
    moveAbove: (seen: number): void => void moveAbove.run({ seen }),
  };
}

export type BillingRevision = ReturnType<typeof createBillingRevision>;

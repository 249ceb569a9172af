import { type Db, onPostgres } from '../engine';

/**
 * The one owner of billing_revision: a counter every change a report depends on moves (triggers on
 * orgs, agents, assignments, inactivity and prices; imports and re-pricing through `bump`), so
 * reports and the importer can keep what they loaded until it moves.
 */
export function createBillingRevision(db: Db) {
  const read = db.prepare<[], number>('SELECT n FROM billing_revision').pluck();
  const bump = db.prepare('UPDATE billing_revision SET n = n + 1');
  const moveAbove = db.prepare<{ seen: number }>('UPDATE billing_revision SET n = max(n, :seen) + 1');
  const lock = onPostgres(db) ? db.prepare('SELECT n FROM billing_revision FOR NO KEY UPDATE') : undefined;
  return {
    /**
     * The one way to write the usage rollups (a re-pricing's relabel, an undo, a provider export,
     * an org's purge or archive import), but for an import batch and a price change (whose insert
     * takes the lock by its trigger before it sums a month again): `work` in one write transaction
     * that first, on PostgreSQL, takes the row lock every bump takes, so no price, agent or stay
     * change commits, on any server, between what the write reads and its commit, and everything
     * committed before is seen; and no deadlock, the lock always taken before any rollup row's. A
     * price change takes it at its insert (its triggers); an import batch last, stepping back rather
     * than wait long for it (usage-import-pg.ts). SQLite's one writer orders them.
     */
    writeRollups: <T>(work: () => T): T =>
      db
        .transaction(() => {
          lock?.run();
          return work();
        })
        .immediate(),
    current: (): number => read.get() ?? 0,
    bump: (): void => void bump.run(),
    /** A revision no cache has seen, when the store's content was replaced under them (a restore). */
    moveAbove: (seen: number): void => void moveAbove.run({ seen }),
  };
}

export type BillingRevision = ReturnType<typeof createBillingRevision>;

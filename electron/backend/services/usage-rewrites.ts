import type { Clock } from '../store/clock';
import type { FinishedUsageUndo } from '../store/repos/usage-undos-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';

/**
 * How long one write of rewrite steps lasts, at most (plus its last step): short enough that a
 * fast call waits little for the writer, long enough that few commits rewrite the same pages.
 */
const WRITE_MS = 25;

/**
 * Rewrites of the usage rollups too large for one write, done in steps, as many per write as fit
 * WRITE_MS, with the thread free between writes, and resumed at the next start after a crash: a
 * re-pricing's months move to their new price a month per step (store.usage.relabelNextMonth), and
 * an undone import's rows leave a few days of a model per step (store.usageUndos.step). At 10
 * million imported rows either takes seconds, and in one write every other write would wait for
 * all of it. Re-pricings go first, so an undo takes each day out under the price label the periods
 * give it.
 */
export function createUsageRewrites(store: Store, clock: Clock, audit: AuditLog) {
  let moving: Promise<void> | undefined;
  /** Told, in the undo's last write, that an import is undone: its job shows it, and the trail. */
  const undone = ({ importId, actor, records }: FinishedUsageUndo) => {
    const row = store.jobs.get(importId);
    store.jobs.markUndone(importId, clock.now().toISOString());
    audit.record(actor, {
      action: 'usage.undone',
      orgId: null,
      target: { type: 'import', id: importId },
      summary: { before: { file: row?.file_name, imported: row?.imported }, after: { removed: records } },
    });
  };
  const nextStep = () => store.usage.relabelNextMonth() || store.usageUndos.step(undone);
  /** Steps, in one write, until WRITE_MS have passed: each commit rewrites the pages it touched. */
  const nextWrite = () =>
    store.writeTransaction(() => {
      const until = performance.now() + WRITE_MS;
      if (!nextStep()) return false;
      while (performance.now() < until && nextStep());
      return true;
    });
  const pending = () => store.usage.relabelPending() || store.usageUndos.pending();

  async function moveAll(): Promise<void> {
    while (nextWrite()) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Resolves once no rewrite is pending, running them meanwhile. */
  async function settled(): Promise<void> {
    while (pending()) {
      moving ??= moveAll().finally(() => {
        moving = undefined;
      });
      await moving;
    }
  }

  return {
    settled,
    /**
     * Runs `work`, a write that bills from prices and sums (a re-pricing, a month's close, the
     * start of an import), once no rewrite is pending: in the same turn as the check, so nothing
     * starts one in between.
     */
    async whenSettled<T>(work: () => T): Promise<T> {
      while (pending()) await settled();
      return work();
    },
    /** At start: finishes the rewrites a restart interrupted, before any call is answered. */
    finishNow(): void {
      while (nextWrite());
    },
  };
}

export type UsageRewrites = ReturnType<typeof createUsageRewrites>;

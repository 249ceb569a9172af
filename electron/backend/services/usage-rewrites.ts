import type { Clock } from '../store/clock';
import type { FinishedUsageUndo } from '../store/repos/usage-undos-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';

/**
 * How long one write of rewrite steps lasts, at most (or its one step, when that is longer): short
 * enough that a fast call waits little for the writer, long enough that few commits rewrite the
 * same pages.
 */
const WRITE_MS = 25;
/**
 * How long rewrites pause when the write-ahead log has outgrown its checkpoints (Store.logBehind):
 * two of the checkpointer's rounds (host-worker's CHECKPOINT_EVERY_MS), the first to copy what the
 * rewrites wrote, the second what calls wrote meanwhile, after which the next write starts the log
 * again. Each pause after which the log is still behind lasts twice the one before, up to
 * LOG_CATCH_UP_MAX_MS: pauses shorter than the checkpointer's copying never let it finish (at 100 ms
 * a 10M-row undo took three times as long and its log still grew to ~10 GB).
 */
const LOG_CATCH_UP_MS = 200;
const LOG_CATCH_UP_MAX_MS = 3_200;
/** Daily rows of an abandoned archive import one step deletes. */
const ABANDONED_DAYS_PER_STEP = 5_000;

/**
 * Rewrites of the usage rollups too large for one write, done in steps, as many per write as fit
 * WRITE_MS, with the thread free between writes, and resumed at the next start after a crash: a
 * re-pricing's months move to their new price some orgs of a month per step
 * (store.usage.relabelNextStep), the month it starts in, when that is mid-month, is summed again
 * some rows per step, then put in place some orgs per step (resumNextStep), and an undone
 * import's rows leave a few days of a model, or part of one, per step (store.usageUndos.step), and
 * an abandoned org archive import's daily rows leave a few thousand per step. At 10 million
 * imported rows either takes seconds, and in one write every other write would wait for all of it.
 * Re-pricings go first, so an undo takes each day out under the price label the periods give it.
 * An org archive import writes its daily rows the same way before its org appears; re-pricings and
 * imports wait for it (`whenSettled`), as a month summed again from its days would count them.
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
  /** Org archive imports running in this process (see `archiveImport`). */
  const archiveImports = new Set<Promise<unknown>>();
  const dropAbandonedImport = () => {
    const abandoned = store.archiveImports.firstAbandoned();
    if (abandoned === undefined) return false;
    const { org_ref, since } = abandoned;
    if (store.usage.dropOrgDays(org_ref, since, ABANDONED_DAYS_PER_STEP) === 0)
      store.archiveImports.end(org_ref);
    return true;
  };
  const nextStep = () =>
    store.usage.relabelNextStep() ||
    store.usage.resumNextStep() ||
    store.usageUndos.step(undone) ||
    dropAbandonedImport();
  /**
   * Steps, in one write, while another as long as the last still ends within WRITE_MS: a step can
   * take tens of ms (a re-sum's at 10M rows; an undo's are sized to STEP_MS), and one begun near the
   * end would make a fast call wait for nearly two.
   */
  const nextWrite = (step: () => boolean) =>
    store.billingRevision.writeRollups(() => {
      const until = performance.now() + WRITE_MS;
      let began = performance.now();
      if (!step()) return false;
      for (let now = performance.now(); now + (now - began) < until; now = performance.now()) {
        began = now;
        if (!step()) break;
      }
      return true;
    });
  const pending = () =>
    store.usage.relabelPending() ||
    store.usage.resumPending() ||
    store.usageUndos.pending() ||
    store.archiveImports.firstAbandoned() !== undefined;

  /**
   * Runs `step` a write at a time, as many per write as fit WRITE_MS, until it returns false; the
   * thread is free between writes, for a moment, or while the log is behind for a pause that doubles
   * from LOG_CATCH_UP_MS until it is not.
   */
  async function inWrites(step: () => boolean): Promise<void> {
    let pauses = 0;
    while (nextWrite(step)) {
      pauses = store.logBehind() ? pauses + 1 : 0;
      await new Promise((resolve) =>
        pauses === 0
          ? setImmediate(resolve)
          : setTimeout(resolve, Math.min(LOG_CATCH_UP_MS * 2 ** (pauses - 1), LOG_CATCH_UP_MAX_MS)),
      );
    }
  }

  const moveAll = () => inWrites(nextStep);

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
      while (pending() || archiveImports.size > 0) {
        await Promise.allSettled(archiveImports);
        await settled();
      }
      return work();
    },
    /**
     * Runs an org archive import's `work`, which writes its daily rows with `inWrites`, other calls
     * answered between writes; re-pricings and imports wait for it to end. One at a time: an
     * import's end may re-price (the prices it adds), which must not sum a month from the days of
     * another import still writing them.
     */
    async archiveImport<T>(work: (writes: typeof inWrites) => Promise<T>): Promise<T> {
      while (archiveImports.size > 0) await Promise.allSettled(archiveImports);
      const running = work(inWrites);
      archiveImports.add(running);
      try {
        return await running;
      } finally {
        archiveImports.delete(running);
      }
    },
    /**
     * At start: forgets the org archive imports a restart cut off, at once (unless those under way
     * may be another process's: `archiveImportsCutShort` false), then finishes the rewrites it
     * interrupted beside the calls, as they ran before it.
     */
    resumeAtStart({ archiveImportsCutShort }: { archiveImportsCutShort: boolean }): Promise<void> {
      if (archiveImportsCutShort) store.archiveImports.abandonAll();
      return settled();
    },
  };
}

export type UsageRewrites = ReturnType<typeof createUsageRewrites>;

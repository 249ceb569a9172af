import type { Db } from '../store/engine';
import { createUsageImportRepo } from '../store/repos/usage-import-repo';
import { createBatchRollup, type OnBad } from './batch-rollup';
import type { UsageBatch } from './usage-batch';

/**
 * Writes a batch inside the caller's SQLite transaction: records the keys of its rows and adds the
 * new ones to the daily and monthly rollups as job `job`'s (usage_jobs), so the import can be undone.
 */
export function createBatchWriter(db: Db, job: number) {
  const writes = createUsageImportRepo(db);
  const rollup = createBatchRollup(writes, job);
  return {
    write(batch: UsageBatch, onBad: OnBad): { imported: number; skipped: number } {
      const placed = rollup.place(batch, onBad);
      const { dayRows, monthRows, orgMonthRows, imported, skipped } = rollup.sum(
        batch,
        placed,
        writes.markSeen(placed.uniqueKeys, job),
      );
      writes.appendDays(dayRows);
      writes.addMonths(monthRows);
      writes.addOrgMonths(orgMonthRows);
      if (imported > 0) writes.bumpRevision();
      rollup.settle();
      return { imported, skipped };
    },
  };
}

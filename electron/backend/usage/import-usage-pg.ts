import type pg from 'pg';
import { isIntegerOverflow } from '../store/engine-errors';
import { type BatchConflict, batchConflictOf, createUsageImportPg } from '../store/postgres/usage-import-pg';
import {
  type BatchRollup,
  createBatchRollup,
  DAY_COLUMNS,
  DAY_ORG,
  type OnBad,
  type PlacedBatch,
} from './batch-rollup';
import { type ImportProgress, progressTally, sumOverflowError } from './import-usage';
import type { UsageBatch } from './usage-batch';

/**
 * How many times a batch is written again when agents, stays or prices keep changing under it, or
 * deadlocks keep cancelling it (BatchConflict), before the import gives up. A wait for the revision
 * lock ('locked') is no reason to: its holder ends.
 */
const MAX_RETRIES_PER_BATCH = 8;
const KEPT_CONFLICTING: Record<Exclude<BatchConflict, 'locked'>, string> = {
  stale: 'Prices, agents or their orgs kept changing while this import wrote its rows',
  deadlock: 'Other imports kept adding to the same monthly sums at the same moment as this one',
};
const keptConflicting = (conflict: Exclude<BatchConflict, 'locked'>, cause: unknown) =>
  new Error(
    `${KEPT_CONFLICTING[conflict]}, so it stopped; the rows written before are kept. Import the file ` +
      'again: rows already imported are skipped.',
    { cause },
  );

export interface PostgresImportOptions {
  /** Every org's id: an import places usage in any org, so it reads every agent's stays (row-level security). */
  orgIds: readonly string[];
  /** The file's size, for the job's progress. */
  bytesTotal: number;
  onProgress?(progress: ImportProgress): void;
}

/** The org ids of the usage_refs integers the day rows name, and whether any row is in no org (0). */
function orgsOf(dayRows: Float64Array, orgNames: Map<number, string>) {
  const refs = new Set<number>();
  for (let at = DAY_ORG; at < dayRows.length; at += DAY_COLUMNS) refs.add(dayRows[at] as number);
  return {
    orgIds: [...refs].filter((ref) => ref !== 0).map((ref) => orgNames.get(ref) as string),
    noOrg: refs.has(0),
  };
}

/** A batch placed and summed, with the bad rows placing it reported (counted once it is written). */
interface SummedBatch {
  batch: UsageBatch;
  /** The attribution's load it was placed under (store.attribution.dataVersion()). */
  load: number;
  bad: Parameters<OnBad>[];
  placed: PlacedBatch;
  rollup: BatchRollup;
}

/**
 * Imports a usage file's batches (as the reader thread parses them) into PostgreSQL, with the same
 * results as on SQLite (see importUsageFile): one transaction per batch records the keys of its
 * rows in usage_seen, adds the new ones to usage_days, usage_months and usage_org_months as the
 * job's, and saves the job's progress. The rows are placed with every org in scope; they are
 * written with only the batch's own orgs named, so row-level security checks each row's org.
 * While the database merges a batch's rollups, the next batch (when the reader has it ready) is
 * placed and summed as if none of its keys were seen before: its own transaction then keeps that
 * work when the attribution did not reload and no key was seen, and redoes it otherwise. A batch
 * whose agents, stays or prices changed before it committed, on any server, is written again from
 * its start with the new ones: a re-pricing's relabel does not see rows not yet committed.
 * `client` is the import's own connection (as the server role); the job (import_jobs) exists.
 */
export async function importUsageBatchesPostgres(
  client: pg.ClientBase,
  jobId: string,
  batches: AsyncIterable<UsageBatch>,
  options: PostgresImportOptions,
): Promise<ImportProgress> {
  const store = createUsageImportPg(client);
  await store.prepare();
  const job = await store.jobRef(jobId);
  const rollup = createBatchRollup(store.attribution, job);
  const { progress, rememberBad, row } = progressTally(options.bytesTotal);

  function placeAndSum(batch: UsageBatch): SummedBatch {
    const bad: Parameters<OnBad>[] = [];
    const load = store.attribution.dataVersion();
    const placed = rollup.place(batch, (...reported) => bad.push(reported));
    return { batch, load, bad, placed, rollup: rollup.sum(batch, placed, new Set()) };
  }

  /** placeAndSum ahead of the batch's transaction; a batch it refuses is refused again there, in its own. */
  function placeAndSumAhead(batch: UsageBatch): SummedBatch | undefined {
    // Placing needs the new models' integers, which only the batch's transaction gives them.
    if (batch.newModels.length > 0) return undefined;
    try {
      return placeAndSum(batch);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes `batch`'s rows in the open transaction; asks for the next batch while the rollups merge,
   * and returns it (to await after the commit: a reader's failure is the next batch's), when it came
   * before the merge ended that batch summed ahead, and what the batch adds to the job's tally. After
   * a BatchConflict it throws, the batch is written again once the store forgot its load (the
   * integers it gave new names were rolled back).
   */
  async function write(
    batch: UsageBatch,
    ahead: SummedBatch | undefined,
    following: () => Promise<IteratorResult<UsageBatch>>,
  ): Promise<{
    next: Promise<IteratorResult<UsageBatch>>;
    ahead?: SummedBatch;
    tally: () => Promise<void>;
  }> {
    await store.scope(options.orgIds, true);
    await store.load(batch.newModels);
    const summed =
      ahead?.batch === batch && ahead.load === store.attribution.dataVersion() ? ahead : placeAndSum(batch);
    const known = await store.markSeen(summed.placed.uniqueKeys, job);
    const { dayRows, monthRows, orgMonthRows, imported, skipped } =
      known.size === 0 ? summed.rollup : rollup.sum(batch, summed.placed, known);
    const orgNames = new Map([...(store.attribution.refs().get('org') ?? [])].map(([id, ref]) => [ref, id]));
    const writtenOrgs = orgsOf(dayRows, orgNames);
    await store.scope(writtenOrgs.orgIds, writtenOrgs.noOrg);
    await store.stageRollups(dayRows, monthRows, orgMonthRows);
    const merged = store.mergeRollups().catch((error) => {
      if (isIntegerOverflow(error)) throw sumOverflowError(batch);
      throw error;
    });
    const next = following();
    const first = await Promise.race([
      merged.then(() => 'merged' as const),
      next.then(
        (read) => read,
        () => 'failed' as const,
      ),
    ]);
    const summedAhead = typeof first === 'object' && !first.done ? placeAndSumAhead(first.value) : undefined;
    await merged;
    if (imported > 0) await store.bumpRevision();
    /** Counts the batch in the job's tally and saves it, once: after it, a failure stops the job. */
    const tally = async () => {
      for (const reported of summed.bad) rememberBad(...reported);
      rollup.settle();
      progress.imported += imported;
      progress.skipped += skipped;
      progress.rowsRead = batch.rowsRead;
      progress.bytesDone = batch.bytesRead;
      await store.saveProgress(jobId, row());
    };
    return { next, ahead: summedAhead, tally };
  }

  const batchesRead = batches[Symbol.asyncIterator]();
  let next = batchesRead.next();
  let ahead: SummedBatch | undefined;
  try {
    for (let read = await next; !read.done; read = await next) {
      // Asked for once, however many times the batch is written.
      let following: Promise<IteratorResult<UsageBatch>> | undefined;
      const readNext = () => {
        following ??= batchesRead.next();
        return following;
      };
      let retries = 0;
      for (;;) {
        await client.query('BEGIN');
        let written: Awaited<ReturnType<typeof write>>;
        try {
          written = await write(read.value, ahead, readNext);
        } catch (error) {
          await client.query('ROLLBACK');
          const conflict = batchConflictOf(error);
          // The job stops with the batches before this one kept, as on SQLite.
          if (conflict === undefined) throw error;
          store.forgetLoad();
          if (conflict === 'locked') await store.awaitRevisionLock();
          else if (++retries > MAX_RETRIES_PER_BATCH) throw keptConflicting(conflict, error);
          ahead = undefined;
          continue;
        }
        try {
          await written.tally();
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        ({ next, ahead } = written);
        break;
      }
      options.onProgress?.({ ...progress });
    }
  } catch (error) {
    // Stops the reader once the batch it may be reading is done (its thread ends there).
    batchesRead.return?.().catch(() => {});
    throw error;
  }
  return progress;
}

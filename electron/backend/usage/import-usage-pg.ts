import type pg from 'pg';
import { createUsageImportPg } from '../store/postgres/usage-import-pg';
import { createBatchRollup, DAY_COLUMNS, DAY_ORG } from './batch-rollup';
import { type ImportProgress, progressTally, sumOverflowError } from './import-usage';
import type { UsageBatch } from './usage-batch';

/** SQLSTATE of an integer past its type's range: a rollup's sum past 2^63. */
const NUMERIC_VALUE_OUT_OF_RANGE = '22003';

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

/**
 * Imports a usage file's batches (as the reader thread parses them) into PostgreSQL, with the same
 * results as on SQLite (see importUsageFile): one transaction per batch records the keys of its
 * rows in usage_seen, adds the new ones to usage_days, usage_months and usage_org_months as the
 * job's, and saves the job's progress. The rows are placed with every org in scope; they are
 * written with only the batch's own orgs named, so row-level security checks each row's org.
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

  async function write(batch: UsageBatch): Promise<void> {
    await store.scope(options.orgIds, true);
    await store.load(batch.newModels);
    const placed = rollup.place(batch, rememberBad);
    const known = await store.markSeen(placed.uniqueKeys, job);
    const { dayRows, monthRows, orgMonthRows, imported, skipped } = rollup.sum(batch, placed, known);
    const orgNames = new Map([...(store.attribution.refs().get('org') ?? [])].map(([id, ref]) => [ref, id]));
    const written = orgsOf(dayRows, orgNames);
    await store.scope(written.orgIds, written.noOrg);
    try {
      await store.writeRollups(dayRows, monthRows, orgMonthRows);
    } catch (error) {
      if ((error as { code?: unknown }).code === NUMERIC_VALUE_OUT_OF_RANGE) throw sumOverflowError(batch);
      throw error;
    }
    if (imported > 0) await store.bumpRevision();
    rollup.settle();
    progress.imported += imported;
    progress.skipped += skipped;
    progress.rowsRead = batch.rowsRead;
    progress.bytesDone = batch.bytesRead;
    await store.saveProgress(jobId, row());
  }

  for await (const batch of batches) {
    await client.query('BEGIN');
    try {
      await write(batch);
      await client.query('COMMIT');
    } catch (error) {
      // The job stops with the batches before this one kept, as on SQLite.
      await client.query('ROLLBACK');
      throw error;
    }
    options.onProgress?.({ ...progress });
  }
  return progress;
}

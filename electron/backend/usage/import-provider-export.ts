import { readFile } from 'node:fs/promises';
import type { UsageSource } from '../../../shared/domain/usage-identity';
import type { Db } from '../store/database';
import { createAgentAliasesRepo } from '../store/repos/agent-aliases-repo';
import { createJobsRepo } from '../store/repos/jobs-repo';
import { createBatchWriter } from './batch-writer';
import { createBucketWriter } from './bucket-writer';
import { type AttributedRow, attributeRows } from './formats/attribute';
import { readProviderExport } from './formats/read-export';
import { type ImportOptions, type ImportProgress, jobProgress } from './import-usage';
import type { UsageBatch } from './usage-batch';
import { batchBuilder } from './usage-reader';
import { toUsageRow } from './usage-row';

/**
 * The largest provider export read: they are read whole (a month of daily buckets is kilobytes; a
 * spend log this size is millions of requests), and a JavaScript string holds at most about 512 MiB.
 */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/**
 * Per-request rows (LiteLLM's) as one batch for the usage writer, which records each request id as
 * seen and skips it after. The rows were checked when read, times within range included.
 */
function requestBatch(rows: readonly AttributedRow[]): UsageBatch {
  const builder = batchBuilder(Math.max(1, rows.length), Math.max(1, rows.length));
  rows.forEach(({ row, agent }, index) => {
    const usage = toUsageRow({ ...row, agent, long_context: row.long_context ?? null });
    if (typeof usage === 'string')
      throw new Error(`A provider row the reader accepted was refused: ${usage}`);
    builder.add(usage, index + 1);
  });
  return builder.seal(rows.length, 0);
}

/**
 * Imports a provider's usage export (whole: exports are pages of buckets or request logs, read at
 * once) in one transaction. Each row goes to the agent an alias maps one of its identities to;
 * rows of no mapped identity are left out, not marked seen, and reported on the job as unmatched,
 * so importing again after mapping them counts them. Per-request rows are seen once; bucket rows
 * replace the counts an earlier export of the same bucket brought.
 */
export async function importProviderExport(
  db: Db,
  file: string,
  jobId: string,
  format: UsageSource,
  options: Pick<ImportOptions, 'onProgress'> = {},
): Promise<ImportProgress> {
  const text = await readFile(file, 'utf8');
  const bytes = Buffer.byteLength(text);
  const { rows, bad } = readProviderExport(text, format);
  const jobs = createJobsRepo(db);
  const { progress, rememberBad, save } = jobProgress(db, jobId, bytes);
  progress.bytesDone = bytes;
  progress.rowsRead = rows.length + bad.length;
  for (const { line, reason } of bad) rememberBad(line, reason);

  const job = jobs.usageRef(jobId);
  db.transaction(() => {
    const { attributed, unmatched } = attributeRows(rows, createAgentAliasesRepo(db).handles());
    const requests = attributed.filter(({ row }) => row.bucket === undefined);
    if (requests.length > 0) {
      const written = createBatchWriter(db, job).write(requestBatch(requests), rememberBad);
      progress.imported += written.imported;
      progress.skipped += written.skipped;
    }
    const buckets = createBucketWriter(db, job).write(
      attributed.filter(({ row }) => row.bucket !== undefined),
    );
    progress.imported += buckets.imported + buckets.replaced;
    progress.skipped += buckets.unchanged;
    save();
    jobs.unmatched(jobId, JSON.stringify(unmatched));
  }).immediate();
  options.onProgress?.({ ...progress });
  return progress;
}

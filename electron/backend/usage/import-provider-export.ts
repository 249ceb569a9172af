import { statSync } from 'node:fs';
import type { UsageSource } from '../../../shared/domain/usage-identity';
import type { Db } from '../store/engine';
import { createAgentAliasesRepo } from '../store/repos/agent-aliases-repo';
import { createBillingRevision } from '../store/repos/billing-revision';
import { createJobsRepo } from '../store/repos/jobs-repo';
import { createBatchWriter } from './batch-writer';
import { createBucketWriter } from './bucket-writer';
import { type AttributedRow, createAttributor } from './formats/attribute';
import { readProviderFile } from './formats/read-export';
import { type ImportOptions, type ImportProgress, jobProgress } from './import-usage';
import { batchBuilder } from './usage-reader';
import { toUsageRow } from './usage-row';
import { atOnce } from './write-turns';

/**
 * The largest provider export imported. It is read a chunk at a time, but imported in one
 * transaction (a re-export's replacements land all or not at all), which holds the store's writer
 * for as long as it runs: a month of daily buckets is kilobytes; a spend log this size is millions
 * of requests, to be split by month or day.
 */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;
/** Rows attributed and written at a time: what is held of the export at once. */
const ROWS_PER_WRITE = 10_000;

/**
 * Imports a provider's usage export in one transaction, reading it a chunk at a time and writing
 * its rows ROWS_PER_WRITE at a time, so no more of it than that is held. Each row goes to the
 * agent an alias maps one of its identities to; rows of no mapped identity are left out, not
 * marked seen, and reported on the job as unmatched, so importing again after mapping them counts
 * them. Per-request rows are seen once; bucket rows replace the counts an earlier export of the
 * same bucket brought.
 */
export async function importProviderExport(
  db: Db,
  file: string,
  jobId: string,
  format: UsageSource,
  options: Pick<ImportOptions, 'onProgress' | 'inTurn'> = {},
): Promise<ImportProgress> {
  const jobs = createJobsRepo(db);
  const { progress, rememberBad, save } = jobProgress(db, jobId, statSync(file).size);
  const importAll = () => {
    const job = jobs.usageRef(jobId);
    const attributor = createAttributor(createAgentAliasesRepo(db).handles());
    const requests = createBatchWriter(db, job);
    // One builder for the whole export: the writer learns each handle's number once, from the
    // batch that first names it.
    const requestRows = batchBuilder(ROWS_PER_WRITE, ROWS_PER_WRITE);
    const buckets = createBucketWriter(db, job);
    let pending: AttributedRow[] = [];
    const writeRequests = () => {
      const written = requests.write(requestRows.seal(0, 0), rememberBad);
      progress.imported += written.imported;
      progress.skipped += written.skipped;
    };
    const write = () => {
      // Per-request rows (LiteLLM's), which the writer records as seen and skips after; they were
      // checked when read, times within range included.
      const perRequest = pending.filter(({ row }) => row.bucket === undefined);
      perRequest.forEach(({ row, agent }, index) => {
        const usage = toUsageRow({ ...row, agent, long_context: row.long_context ?? null });
        if (typeof usage === 'string')
          throw new Error(`A provider row the reader accepted was refused: ${usage}`);
        requestRows.add(usage, index + 1);
        if (requestRows.full()) writeRequests();
      });
      if (perRequest.length > 0) writeRequests();
      const bucketed = pending.filter(({ row }) => row.bucket !== undefined);
      if (bucketed.length > 0) {
        const written = buckets.write(bucketed);
        progress.imported += written.imported + written.replaced;
        progress.skipped += written.unchanged;
      }
      pending = [];
    };
    readProviderFile(
      file,
      format,
      (parsed, line) => {
        progress.rowsRead++;
        if (typeof parsed === 'string') {
          rememberBad(line, parsed);
          return;
        }
        const agent = attributor.agentOf(parsed);
        if (agent === undefined) return;
        pending.push({ row: parsed, agent });
        if (pending.length >= ROWS_PER_WRITE) write();
      },
      (bytes) => {
        progress.bytesDone = bytes;
      },
    );
    write();
    buckets.finish();
    save();
    jobs.unmatched(jobId, JSON.stringify(attributor.unmatched()));
  };
  (options.inTurn ?? atOnce)(() => createBillingRevision(db).writeRollups(importAll));
  options.onProgress?.({ ...progress });
  return progress;
}

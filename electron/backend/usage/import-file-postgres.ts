import { stat } from 'node:fs/promises';
import { connectPostgresClient } from '../store/postgres/connection';
import { BATCH_SIZE, type ImportOptions, type ImportProgress } from './import-usage';
import { importUsageBatchesPostgres } from './import-usage-pg';
import { readUsageBatches } from './usage-reader';

/** Why a provider export is refused on PostgreSQL (its bucket writer is SQLite's so far). */
export const PROVIDER_EXPORTS_NOT_ON_POSTGRES =
  'Provider exports do not import into PostgreSQL yet: import this export on a SQLite store and move it with `orgdeck store copy`.';

/** A PostgreSQL store to import into, as the server role, and every org usage may be placed in. */
export interface PostgresTarget {
  url: string;
  orgIds: string[];
}

/**
 * importUsageFile on PostgreSQL: the file's batches, each one transaction on a connection of the
 * import's own, with the same progress, de-duplication, rollups and errors as on SQLite.
 */
export async function importUsageFilePostgres(
  target: PostgresTarget,
  file: string,
  jobId: string,
  options: ImportOptions = {},
): Promise<ImportProgress> {
  if (options.format !== undefined && options.format !== 'orgdeck')
    throw new Error(PROVIDER_EXPORTS_NOT_ON_POSTGRES);
  const bytesTotal = (await stat(file)).size;
  const client = await connectPostgresClient(target.url);
  try {
    return await importUsageBatchesPostgres(
      client,
      jobId,
      options.batches ?? readUsageBatches(file, options.batchSize ?? BATCH_SIZE),
      { orgIds: target.orgIds, bytesTotal, onProgress: options.onProgress },
    );
  } finally {
    await client.end();
  }
}

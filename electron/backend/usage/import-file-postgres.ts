import { stat } from 'node:fs/promises';
import type { UsageSource } from '../../../shared/domain/usage-identity';
import { scopeFor } from '../router/scopes';
import { LOCAL_OWNER } from '../services/principal';
import { connectPostgresClient, openPostgresConnection } from '../store/postgres/connection';
import { importProviderExport } from './import-provider-export';
import { BATCH_SIZE, type ImportOptions, type ImportProgress } from './import-usage';
import { importUsageBatchesPostgres } from './import-usage-pg';
import { readUsageBatches } from './usage-reader';

/** A PostgreSQL store to import into, as the server role, and every org usage may be placed in. */
export interface PostgresTarget {
  url: string;
  orgIds: string[];
}

/**
 * importUsageFile on PostgreSQL, with the same progress, de-duplication, rollups and errors as on
 * SQLite: a usage file's batches each one transaction (COPY) on a connection of the import's own; a
 * provider export (`format`) as one transaction through the store's repositories.
 */
export async function importUsageFilePostgres(
  target: PostgresTarget,
  file: string,
  jobId: string,
  options: ImportOptions = {},
): Promise<ImportProgress> {
  if (options.format !== undefined && options.format !== 'orgdeck')
    return importProviderExportPostgres(target.url, file, jobId, options.format, options);
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

/**
 * A provider export on PostgreSQL: as on SQLite, one transaction through the store's repositories,
 * here on a connection of the import's own, in one call that sees every org (row-level security).
 */
async function importProviderExportPostgres(
  url: string,
  file: string,
  jobId: string,
  format: UsageSource,
  options: ImportOptions,
): Promise<ImportProgress> {
  const db = openPostgresConnection(url);
  try {
    return await db.call(async (enter) => {
      enter(scopeFor(LOCAL_OWNER, 'billing.read'));
      return importProviderExport(db, file, jobId, format, options);
    });
  } finally {
    db.close();
  }
}

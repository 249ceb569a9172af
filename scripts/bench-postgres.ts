// The usage import on PostgreSQL, for `npm run bench -- billing --database URL` (scripts/bench.ts).
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import pg from 'pg';
import type { SqliteDb } from '../electron/backend/store/database';
import { migratePostgres, migratePostgresDatabase } from '../electron/backend/store/postgres/migrate';
import { BATCH_SIZE } from '../electron/backend/usage/import-usage';
import { importUsageBatchesPostgres } from '../electron/backend/usage/import-usage-pg';
import { batchesFromThread } from '../electron/backend/usage/reader-thread';
import { OWNER_ROLE, SERVER_ROLE, startPostgresCluster } from '../test/fixtures/postgres-cluster';
import { copyPlacingTables } from '../test/fixtures/postgres-placing';
import { loadAverage } from './measure';

/**
 * CPU seconds a process on this machine has used (user + system, from /proc), or undefined when
 * the database runs elsewhere. On a shared machine the wall clock mostly measures the others' load.
 */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** `--database throwaway`: a cluster of its own in a temp dir, stopped at the end (needs Debian's `postgresql`). */
export const THROWAWAY = 'throwaway';

export interface BenchDatabase {
  /** Copies the SQLite store's orgs, agents, stays and prices; returns every org's id. */
  copyPlacing(sqlite: SqliteDb): Promise<string[]>;
  /** Imports the file as the bench's import worker would, timed. */
  timedImport(file: string, rows: number, readerWorker: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * `url` names an empty database: it is migrated, and the import runs as the URL's role (row-level
 * security is forced, so the owner obeys it too). With THROWAWAY, the import runs as the server role.
 */
export async function openBenchDatabase(url: string): Promise<BenchDatabase> {
  const cluster = url === THROWAWAY ? await startPostgresCluster() : undefined;
  const connect = async (connectionString: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    return client;
  };
  let owner: pg.Client;
  let server: pg.Client;
  if (cluster) {
    await cluster.createDatabase('bench');
    await migratePostgresDatabase(cluster.url(OWNER_ROLE, 'bench'), SERVER_ROLE);
    owner = await connect(cluster.url(OWNER_ROLE, 'bench'));
    server = await connect(cluster.url(SERVER_ROLE, 'bench'));
  } else {
    owner = await connect(url);
    await migratePostgres(owner);
    server = owner;
  }
  let orgIds: string[] = [];
  return {
    async copyPlacing(sqlite) {
      orgIds = await copyPlacingTables(sqlite, owner);
      return orgIds;
    },
    async timedImport(file, rows, readerWorker) {
      const jobId = randomUUID();
      const bytesTotal = statSync(file).size;
      await server.query(
        `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, actor_label, pid, started_at)
         VALUES ($1, 'usage', $2, 'running', $3, 'bench', $4, $5)`,
        [jobId, file, bytesTotal, process.pid, new Date().toISOString()],
      );
      const backendPid = Number((await server.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
      const backendCpuBefore = cpuSecondsOf(backendPid);
      const nodeCpuBefore = process.cpuUsage();
      const start = performance.now();
      const progress = await importUsageBatchesPostgres(
        server,
        jobId,
        batchesFromThread(readerWorker, file, BATCH_SIZE),
        { orgIds, bytesTotal },
      );
      const seconds = (performance.now() - start) / 1000;
      const backendCpuAfter = cpuSecondsOf(backendPid);
      const nodeCpu = process.cpuUsage(nodeCpuBefore);
      return {
        imported: progress.imported,
        bad: progress.bad,
        seconds: Number(seconds.toFixed(1)),
        'usage import on PostgreSQL (rows/s)': Math.round(rows / seconds),
        // The writer waits on the database and the database on the writer: their CPU adds up.
        'database backend CPU seconds':
          backendCpuAfter === undefined || backendCpuBefore === undefined
            ? undefined
            : Number((backendCpuAfter - backendCpuBefore).toFixed(1)),
        'writer and reader threads CPU seconds': Number(((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)),
        load: loadAverage(),
      };
    },
    async close() {
      if (server !== owner) await server.end();
      await owner.end();
      cluster?.stop();
    },
  };
}

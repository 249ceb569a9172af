import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../electron/backend/services/audit-log';
import { createUsageRewrites } from '../../electron/backend/services/usage-rewrites';
import { systemClock } from '../../electron/backend/store/clock';
import { leaveCheckpointsToOthers, type SqliteDb } from '../../electron/backend/store/database';
import { openStore, type Store } from '../../electron/backend/store/store';
import { makeTempDir, removeDir } from '../fixtures/backend';

const MB = 2 ** 20;
/** As database.ts lets the log grow before rewrites pause for the checkpointer (WAL_BEHIND_BYTES). */
const BEHIND = 256 * MB;
/** MB the rewrite below writes: four times that. */
const WRITTEN = 1024;

/**
 * The backend host's other threads on this store, as in host-worker.ts: a checkpointer copying the
 * log into the store file every 100 ms, and a reader answering a quick read every 10 ms.
 */
function startHostThreads(file: string): Worker {
  return new Worker(
    `const Database = require('better-sqlite3');
     const { workerData, parentPort } = require('node:worker_threads');
     const checkpointer = new Database(workerData, { fileMustExist: true });
     const reader = new Database(workerData, { readonly: true, fileMustExist: true });
     const read = reader.prepare('SELECT n FROM filler WHERE id = 1');
     const timers = [
       setInterval(() => checkpointer.pragma('wal_checkpoint(PASSIVE)'), 100),
       setInterval(() => read.get(), 10),
     ];
     parentPort.once('message', () => {
       timers.forEach(clearInterval);
       checkpointer.close();
       reader.close();
       parentPort.close();
     });`,
    { eval: true, workerData: file },
  );
}

describe('the write-ahead log during a long rewrite', () => {
  let dir: string | undefined;
  let store: Store | undefined;
  let threads: Worker | undefined;
  afterEach(async () => {
    if (threads) {
      const exited = new Promise((resolve) => threads?.once('exit', resolve));
      threads.postMessage('close');
      await exited;
    }
    store?.close();
    if (dir) removeDir(dir);
  });

  it('stays near its limit: the rewrite pauses for the checkpointer, and the log starts again', async () => {
    dir = makeTempDir('orgdeck-wal-');
    const file = join(dir, 'orgdeck.db');
    store = openStore(file);
    const writer = store.sqlite as SqliteDb;
    leaveCheckpointsToOthers(writer);
    writer.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, body BLOB)');
    writer.prepare('INSERT INTO filler (id, n) VALUES (1, 0)').run();
    threads = startHostThreads(file);

    // A rewrite as an undo of millions of rows runs one: steps of a few pages, written 25 ms at a
    // time, the thread free between writes. Here each step writes 1 MB of new pages.
    const add = writer.prepare('INSERT INTO filler (n, body) VALUES (0, zeroblob(1048576))');
    let steps = 0;
    let largest = 0;
    const rewrites = createUsageRewrites(store, systemClock, createAuditLog(store, systemClock));
    await rewrites.archiveImport((inWrites) =>
      inWrites(() => {
        if (steps === WRITTEN) return false;
        add.run();
        steps++;
        largest = Math.max(largest, statSync(`${file}-wal`).size);
        return true;
      }),
    );

    expect(steps).toBe(WRITTEN);
    expect((writer.prepare('SELECT count(*) AS rows FROM filler').get() as { rows: number }).rows).toBe(
      WRITTEN + 1,
    );
    // Without the pauses the log holds every page written: 1 GB here, ~10 GB after a 10M-row undo.
    // With them it passes its limit by what the writes add while the checkpointer catches up
    // (~90 MB on the machine the notes name), and starts again.
    expect(largest).toBeGreaterThan(BEHIND);
    expect(largest).toBeLessThan(2 * BEHIND);
  }, 120_000);
});

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  leaveCheckpointsToOthers,
  openWalCheckpointer,
  type SqliteDb,
} from '../../electron/backend/store/database';
import { openStore, type Store } from '../../electron/backend/store/store';
import { makeTempDir, removeDir } from '../fixtures/backend';

const MB = 2 ** 20;
/** As database.ts keeps and cuts the log (WAL_KEPT_BYTES, WAL_CUT_BYTES). */
const KEPT = 64 * MB;
const CUT = 128 * MB;

const walSize = (file: string) => statSync(`${file}-wal`).size;

/**
 * One small write through the store, as the background rewrites (an undo's steps) commit theirs:
 * outside any call, after the writer's thread has been free a moment.
 */
async function smallWrite(store: Store, writer: SqliteDb): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 250));
  store.writeTransaction(() => writer.prepare('UPDATE filler SET n = n + 1 WHERE id = 1').run());
}

describe('the write-ahead log after a large write', () => {
  let dir: string | undefined;
  let store: Store | undefined;
  afterEach(() => {
    store?.close();
    if (dir) removeDir(dir);
  });

  it('is cut back a slice per restart, so no write waits for the whole log to be cut', async () => {
    dir = makeTempDir('orgdeck-wal-');
    const file = join(dir, 'orgdeck.db');
    store = openStore(file);
    const writer = store.sqlite as SqliteDb;
    // As in the backend host: the writer leaves checkpoints to a connection of their own.
    leaveCheckpointsToOthers(writer);
    writer.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, body BLOB)');
    writer.prepare('INSERT INTO filler (id, n) VALUES (1, 0)').run();
    // ~330 MB of log, as an undo or an import of millions of rows leaves (gigabytes there).
    const add = writer.prepare('INSERT INTO filler (n, body) VALUES (0, zeroblob(1048576))');
    writer.transaction(() => {
      for (let i = 0; i < 320; i++) add.run();
    })();
    const checkpointer = openWalCheckpointer(file);
    try {
      let before = walSize(file);
      expect(before).toBeGreaterThan(KEPT + 2 * CUT);
      const sizes = [before];
      while (before > KEPT + MB) {
        // Every frame copied into the store file, no reader in the log: the next write restarts it.
        checkpointer.checkpoint();
        await smallWrite(store, writer);
        const after = walSize(file);
        // Cut, but never by much more than a slice (the write's own frames may add a few pages).
        expect(after).toBeLessThan(before);
        expect(before - after).toBeLessThanOrEqual(CUT);
        sizes.push(after);
        before = after;
      }
      // Back to what the log keeps, in as many restarts as slices it took.
      expect(sizes.length - 1).toBe(Math.ceil(((sizes[0] as number) - KEPT) / CUT));
    } finally {
      checkpointer.close();
    }
  }, 60_000);
});

/**
 * Turns at SQLite's one write lock between a backend's connection and its usage-import workers'.
 * An import commits a batch of up to a million rows per transaction, seconds of holding the lock;
 * a write of the backend's arriving meanwhile waited in SQLite's busy handler, which blocks the
 * thread (the window's, or the host's writer with every call queued on it) and gives up with
 * "database is locked" after the busy timeout, or at once when its transaction had read first.
 * Instead, the backend says before each call that it wants the lock, and waits without blocking
 * its thread until no batch is being written; an import waits, before each batch, until no call
 * wants it. The backend's calls so never meet a held lock, and an import only pauses.
 */

/** Int32 slots of the shared buffer. */
const WANTED = 0;
const WRITING = 1;

/** The buffer both sides share: created by the backend, handed to each import worker. */
export const newWriteTurnsBuffer = (): SharedArrayBuffer => new SharedArrayBuffer(2 * 4);

/** The backend's side: runs each call once no import batch is being written, holding imports meanwhile. */
export function backendTurns(buffer: SharedArrayBuffer) {
  const slots = new Int32Array(buffer);
  return {
    async around<T>(call: () => Promise<T>): Promise<T> {
      Atomics.add(slots, WANTED, 1);
      try {
        // Seen after WANTED was raised: a batch starting later sees it and waits (importTurn).
        while (Atomics.load(slots, WRITING) === 1) {
          const waited = Atomics.waitAsync(slots, WRITING, 1);
          if (waited.async) await waited.value;
        }
        return await call();
      } finally {
        Atomics.sub(slots, WANTED, 1);
        Atomics.notify(slots, WANTED);
      }
    },
  };
}

export type BackendTurns = ReturnType<typeof backendTurns>;

/** How an import runs each of its transactions: in its turn (importTurn), or at once. */
export type InTurn = (commit: () => void) => void;

/** Outside a backend with import workers (the CLI's inline import, tests): no one to take turns with. */
export const atOnce: InTurn = (commit) => commit();

/**
 * The import's side, in its worker: runs `commit` (one batch's transaction) once no call of the
 * backend wants the lock. Marks the batch as being written before looking, as the backend raises
 * its want before looking: with sequentially consistent atomics, one of the two always sees the other.
 */
export function importTurn(buffer: SharedArrayBuffer, commit: () => void): void {
  const slots = new Int32Array(buffer);
  for (;;) {
    Atomics.store(slots, WRITING, 1);
    const wanted = Atomics.load(slots, WANTED);
    if (wanted === 0) break;
    Atomics.store(slots, WRITING, 0);
    Atomics.notify(slots, WRITING);
    Atomics.wait(slots, WANTED, wanted);
  }
  try {
    commit();
  } finally {
    Atomics.store(slots, WRITING, 0);
    Atomics.notify(slots, WRITING);
  }
}

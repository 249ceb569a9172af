import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { type BridgeAnswer, type BridgeRequest, type BridgeSetup, SLOT, STATE } from './pg-bridge-worker';

/** Parts of a message larger than this go one after another; the memory is committed as touched. */
const DATA_BYTES = 4 * 1024 * 1024;
/** A statement PostgreSQL has not answered in this long is given up (the server sets its own timeout). */
const ANSWER_TIMEOUT_MS = 120_000;

/** A PostgreSQL error as the repositories see it: its SQLSTATE (23505 for a unique violation…). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly constraint: string | null,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

/** The worker file beside this module: the bundle's .mjs when built, the source .ts in tests. */
function workerFile(): string {
  const built = fileURLToPath(new URL('./pg-bridge-worker.mjs', import.meta.url));
  if (existsSync(built)) return built;
  return fileURLToPath(new URL('./pg-bridge-worker.ts', import.meta.url));
}

/**
 * One PostgreSQL connection answered synchronously: a worker thread owns the `pg` client, and this
 * thread blocks on Atomics.wait until the answer is in shared memory. Repositories and services
 * stay synchronous on both engines; each backend thread has its own bridge, so a call's
 * transaction is its connection's (docs/postgres-design.md measures the cost: ~30–70 µs a statement).
 */
export class PgBridge {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly data = new Uint8Array(new SharedArrayBuffer(DATA_BYTES));
  private readonly worker: Worker;
  private closed = false;

  constructor(url: string) {
    this.worker = new Worker(workerFile(), {
      workerData: {
        pgBridge: { url, control: this.control.buffer as SharedArrayBuffer, data: this.data.buffer },
      } satisfies BridgeSetup,
    });
    // The worker holds the process open only while a connection is in use.
    this.worker.unref();
  }

  /** `paramTypes`: PostgreSQL type oids by parameter, 0 where PostgreSQL infers it. */
  query(
    sql: string,
    params: unknown[],
    bigints = false,
    paramTypes: number[] = [],
  ): Extract<BridgeAnswer, { ok: true }> {
    return this.ask({ kind: 'query', sql, params, bigints, paramTypes });
  }

  /** Statements without parameters, several at once (BEGIN; SET LOCAL …). */
  simple(sql: string): void {
    this.ask({ kind: 'simple', sql });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.ask({ kind: 'close' });
    } finally {
      this.closed = true;
      void this.worker.terminate();
    }
  }

  private ask(request: BridgeRequest): Extract<BridgeAnswer, { ok: true }> {
    if (this.closed) throw new Error('The PostgreSQL connection is closed.');
    this.sendRequest(serialize(request));
    const answer = deserialize(this.receiveAnswer()) as BridgeAnswer;
    if (!answer.ok) {
      // The statement's start names it in logs: SQL text holds no values, they are parameters.
      const statement =
        request.kind === 'close' ? '' : ` (in: ${request.sql.replace(/\s+/g, ' ').slice(0, 160)})`;
      throw new PostgresError(`${answer.message}${statement}`, answer.code, answer.constraint);
    }
    return answer;
  }

  private signal(state: number): void {
    Atomics.store(this.control, SLOT.state, state);
    Atomics.notify(this.control, SLOT.state);
  }

  private waitWhile(state: number): number {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const now = Atomics.load(this.control, SLOT.state);
      if (now !== state) return now;
      if (Date.now() > deadline)
        throw new Error('PostgreSQL did not answer in time: the connection is given up.');
      Atomics.wait(this.control, SLOT.state, state, 1000);
    }
  }

  private sendRequest(bytes: Buffer): void {
    for (let offset = 0; ; offset += this.data.length) {
      const part = bytes.subarray(offset, offset + this.data.length);
      this.data.set(part);
      Atomics.store(this.control, SLOT.length, part.length);
      const last = offset + this.data.length >= bytes.length;
      this.signal(last ? STATE.request : STATE.requestPart);
      if (last) return;
      this.waitWhile(STATE.requestPart);
    }
  }

  private receiveAnswer(): Buffer {
    const parts: Buffer[] = [];
    let state = this.waitWhile(STATE.request);
    for (;;) {
      parts.push(Buffer.from(this.data.subarray(0, Atomics.load(this.control, SLOT.length))));
      if (state === STATE.answer) {
        // Not notified: the worker wakes on the next request.
        Atomics.store(this.control, SLOT.state, STATE.idle);
        return Buffer.concat(parts);
      }
      this.signal(STATE.answerPartTaken);
      state = this.waitWhile(STATE.answerPartTaken);
    }
  }
}

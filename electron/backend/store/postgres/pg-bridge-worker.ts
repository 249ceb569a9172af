// Runs in its own worker thread (see pg-bridge.ts), so it imports packages only: no relative
// imports, which lets Node run this file as it is from the sources (tests) as well as bundled.
import { deserialize, serialize } from 'node:v8';
import { workerData } from 'node:worker_threads';
import pg from 'pg';

/**
 * The control word both sides wait on. A message (request or answer) longer than the shared buffer
 * goes in parts: the sender writes a part, the receiver copies it and acknowledges.
 */
export const STATE = {
  idle: 0,
  requestPart: 1,
  request: 2,
  requestPartTaken: 3,
  answerPart: 4,
  answer: 5,
  answerPartTaken: 6,
} as const;

/** Slots of the control array: the state, and the byte length of the part in the data buffer. */
export const SLOT = { state: 0, length: 1 } as const;

export interface BridgeSetup {
  pgBridge: { url: string; control: SharedArrayBuffer; data: SharedArrayBuffer };
}

export type BridgeRequest =
  | { kind: 'query'; sql: string; params: unknown[]; bigints: boolean; paramTypes: number[] }
  | { kind: 'simple'; sql: string }
  | { kind: 'close' };

export type BridgeAnswer =
  | { ok: true; rows: Record<string, unknown>[]; columns: string[]; changes: number }
  | { ok: false; message: string; code: string | null; constraint: string | null };

const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;

/**
 * Values read the way better-sqlite3 reads SQLite's: integers as numbers (as BigInt where the
 * statement asked, like safeIntegers), booleans as 0/1, so repositories read both engines alike.
 */
function sqliteShaped(result: pg.QueryResult, bigints: boolean): Record<string, unknown>[] {
  const converters = result.fields.map((field) => {
    if (field.dataTypeID === BOOL) return (value: unknown) => (value === null ? null : value ? 1 : 0);
    if (field.dataTypeID === INT8 || field.dataTypeID === NUMERIC)
      return (value: unknown) => {
        if (value === null) return null;
        const text = String(value);
        if (bigints && /^-?\d+$/.test(text)) return BigInt(text);
        return Number(text);
      };
    return null;
  });
  if (converters.every((converter) => converter === null)) return result.rows;
  return result.rows.map((row: Record<string, unknown>) => {
    result.fields.forEach((field, index) => {
      const convert = converters[index];
      if (convert) row[field.name] = convert(row[field.name]);
    });
    return row;
  });
}

async function serve(setup: BridgeSetup['pgBridge']): Promise<void> {
  const control = new Int32Array(setup.control);
  const data = new Uint8Array(setup.data);
  // int8 and numeric arrive as text and are converted per statement above.
  const client = new pg.Client({ connectionString: setup.url });
  let connectError: Error | null = null;
  await client.connect().catch((error: Error) => {
    connectError = error;
  });

  const waitWhile = async (state: number) => {
    while (Atomics.load(control, SLOT.state) === state) {
      const wait = Atomics.waitAsync(control, SLOT.state, state);
      if (wait.async) await wait.value;
    }
  };
  const signal = (state: number) => {
    Atomics.store(control, SLOT.state, state);
    Atomics.notify(control, SLOT.state);
  };

  async function receive(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      let state = Atomics.load(control, SLOT.state);
      while (state !== STATE.requestPart && state !== STATE.request) {
        await waitWhile(state);
        state = Atomics.load(control, SLOT.state);
      }
      parts.push(Buffer.from(data.subarray(0, Atomics.load(control, SLOT.length))));
      if (state === STATE.request) return Buffer.concat(parts);
      signal(STATE.requestPartTaken);
    }
  }

  async function send(bytes: Buffer): Promise<void> {
    for (let offset = 0; ; offset += data.length) {
      const part = bytes.subarray(offset, offset + data.length);
      data.set(part);
      Atomics.store(control, SLOT.length, part.length);
      const last = offset + data.length >= bytes.length;
      signal(last ? STATE.answer : STATE.answerPart);
      if (last) return;
      await waitWhile(STATE.answerPart);
    }
  }

  async function answer(request: BridgeRequest): Promise<BridgeAnswer> {
    if (connectError) throw connectError;
    if (request.kind === 'simple') {
      await client.query(request.sql);
      return { ok: true, rows: [], columns: [], changes: 0 };
    }
    if (request.kind !== 'query') throw new Error('unexpected request');
    // pg sends `types` as the parameters' types, and reads results with it too: it keeps pg's parsers.
    const types = Object.assign([...request.paramTypes], { getTypeParser: pg.types.getTypeParser });
    const result = await client.query({ text: request.sql, values: request.params, types });
    return {
      ok: true,
      rows: sqliteShaped(result, request.bigints),
      columns: result.fields.map((field) => field.name),
      changes: result.rowCount ?? 0,
    };
  }

  for (;;) {
    const request = deserialize(await receive()) as BridgeRequest;
    if (request.kind === 'close') {
      await client.end().catch(() => undefined);
      await send(serialize({ ok: true, rows: [], columns: [], changes: 0 } satisfies BridgeAnswer));
      return;
    }
    let reply: BridgeAnswer;
    try {
      reply = await answer(request);
    } catch (error) {
      const failure = error as Error & { code?: string; constraint?: string };
      reply = {
        ok: false,
        message: failure.message,
        code: failure.code ?? null,
        constraint: failure.constraint ?? null,
      };
    }
    await send(serialize(reply));
  }
}

const setup = (workerData as Partial<BridgeSetup> | null)?.pgBridge;
if (setup) void serve(setup);

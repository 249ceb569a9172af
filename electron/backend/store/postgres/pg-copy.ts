import type pg from 'pg';

/** COPY's binary header: signature, no flags, no header extension. */
const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
/** Bytes per bigint field: its length word, then the value. */
const FIELD = 4 + 8;
/** Bytes per CopyData message: the server takes up to 1 GB, smaller ones keep the socket's buffer small. */
const MESSAGE = 1 << 20;

/** Writes `value` (a safe integer) big-endian as PostgreSQL's int8. */
function putInt8(view: DataView, at: number, value: number): void {
  view.setInt32(at, Math.floor(value / 4_294_967_296));
  view.setUint32(at + 4, value >>> 0);
}

/** Rows of `columns` bigints, from a flat list, in COPY's binary format. */
export function binaryBigintRows(flat: ArrayLike<number>, columns: number): Buffer {
  const rows = flat.length / columns;
  const out = Buffer.allocUnsafe(HEADER.length + rows * (2 + columns * FIELD) + 2);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  HEADER.copy(out);
  let at = HEADER.length;
  let v = 0;
  for (let row = 0; row < rows; row++) {
    view.setInt16(at, columns);
    at += 2;
    for (let column = 0; column < columns; column++) {
      view.setInt32(at, 8);
      putInt8(view, at + 4, flat[v++] as number);
      at += FIELD;
    }
  }
  view.setInt16(at, -1);
  return out;
}

/**
 * Rows of bigints from a BigInt64Array, each value followed by the same `constants` (a safe integer
 * each), in COPY's binary format, without making a BigInt per value.
 */
export function binaryBigintValues(values: BigInt64Array, constants: readonly number[] = []): Buffer {
  const columns = 1 + constants.length;
  const out = Buffer.allocUnsafe(HEADER.length + values.length * (2 + columns * FIELD) + 2);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  HEADER.copy(out);
  let at = HEADER.length;
  for (let i = 0; i < values.length; i++) {
    view.setInt16(at, columns);
    view.setInt32(at + 2, 8);
    // The array holds the host's (little-endian) words: high word first on the wire.
    view.setUint32(at + 6, words[2 * i + 1] as number);
    view.setUint32(at + 10, words[2 * i] as number);
    at += 2 + FIELD;
    for (const constant of constants) {
      view.setInt32(at, 8);
      putInt8(view, at + 4, constant);
      at += FIELD;
    }
  }
  view.setInt16(at, -1);
  return out;
}

/** What `pg` calls on the query it is running; only the copy-in ones matter here. */
interface PgConnection {
  query(text: string): void;
  endCopyFrom(): void;
  /** The socket `pg` writes its messages to, in order. */
  stream: { write(chunk: Buffer): boolean };
}

/** A CopyData message's type and length, sent before `length` bytes of data. */
function copyDataHeader(length: number): Buffer {
  const header = Buffer.allocUnsafe(5);
  header[0] = 0x64;
  header.writeInt32BE(4 + length, 1);
  return header;
}

/**
 * `COPY … FROM STDIN` through `pg`'s own connection (the driver has no COPY API of its own, and
 * pg-copy-streams is not a dependency): a query object `client.query` runs, which answers the
 * server's CopyInResponse with `data` and settles at the following ReadyForQuery, or at an error.
 */
class CopyIn {
  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly settle: (error: Error | undefined) => void,
  ) {}

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  /**
   * Each message's header, then its data as a view of `data`: `pg`'s own sendCopyFromChunk copies
   * every chunk into a message buffer of its own, which for a batch's day rows (~170 MB per million)
   * cost as much CPU as building them.
   */
  handleCopyInResponse(connection: PgConnection): void {
    for (let at = 0; at < this.data.length; at += MESSAGE) {
      const chunk = this.data.subarray(at, at + MESSAGE);
      connection.stream.write(copyDataHeader(chunk.length));
      connection.stream.write(chunk);
    }
    connection.endCopyFrom();
  }

  /**
   * `pg` lets go of a query at its error (a row the table refuses, or the connection ending): the
   * ReadyForQuery that follows goes to no query, and the next one waits in `pg`'s queue for it.
   */
  handleError(error: Error): void {
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(undefined);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY table (columns) FROM STDIN (FORMAT binary)` with `data` (binaryBigintRows/Values). */
export function copyBinaryInto(
  client: pg.ClientBase,
  table: string,
  columns: string,
  data: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const copy = new CopyIn(`COPY ${table} (${columns}) FROM STDIN (FORMAT binary)`, data, (error) =>
      error ? reject(error) : resolve(),
    );
    client.query(copy as unknown as pg.Submittable);
  });
}

import { deserialize, serialize } from 'node:v8';
import type { BudgetAlert } from '../../../shared/contract/alerts';
import type { Envelope } from '../../../shared/contract/envelope';
import type { LogFields } from '../logger';
import type { JsonEnvelope } from '../router/router';
import type { Principal } from '../services/principal';
import type { WriterRead } from '../services/reads-elsewhere';

/** What a host worker is started with (its workerData). */
export interface HostWorkerData {
  /**
   * 'writer': the one connection that writes, migrates and runs the timers; 'reader': read channels
   * only; 'checkpointer' (SQLite): copies the write-ahead log into the store, answering no calls.
   */
  role: 'writer' | 'reader' | 'checkpointer';
  dataDir: string;
  /** A PostgreSQL database instead of the SQLite store in dataDir (each thread connects itself). */
  database?: string;
  /** The built usage-import worker, as a path (a URL does not cross into workerData as one). */
  importWorker?: string;
  /** The built knowledge-extraction worker, as a path. */
  extractWorker?: string;
  autoBackups: boolean;
  setupCodeHash?: string;
  /** The thread's nice value (THREAD_NICE): a reader of reports yields to the others. */
  nice: number;
}

/** The part of a transport's session that crosses to the worker; its callbacks come back in the reply. */
export interface SessionData {
  token: string | null;
  principal?: Principal;
  clientAddress?: string;
  deviceSecret?: string | null;
}

/**
 * A call's answer: its envelope, or, when the call asked for it, the envelope as JSON text; a read
 * the writer handed off is answered serialized (structured clone's format) in a buffer the host's
 * thread passes on without copying or reading it: an org's rows for its archive are tens of
 * thousands of objects, which the window's thread took ~60 ms to copy each way.
 */
export type HostAnswer =
  | { kind: 'envelope'; envelope: Envelope<unknown> }
  | ({ kind: 'json' } & JsonEnvelope)
  | { kind: 'serialized'; bytes: ArrayBuffer };

/** The envelope an answer carries. */
export function envelopeOf(answer: HostAnswer): Envelope<unknown> {
  if (answer.kind === 'envelope') return answer.envelope;
  if (answer.kind === 'json') return JSON.parse(answer.json) as Envelope<unknown>;
  return deserialize(new Uint8Array(answer.bytes)) as Envelope<unknown>;
}

/** `envelope` serialized into a buffer of its own, to be transferred (see HostAnswer). */
export function serializedAnswer(envelope: Envelope<unknown>): Extract<HostAnswer, { kind: 'serialized' }> {
  const bytes = serialize(envelope);
  return {
    kind: 'serialized',
    bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

/** The buffers a message hands over rather than copies. */
export const transferOf = (answer: HostAnswer): ArrayBuffer[] =>
  answer.kind === 'serialized' ? [answer.bytes] : [];

export type ToHost =
  | {
      type: 'call';
      id: number;
      channel: string;
      input: unknown;
      session: SessionData;
      /** Answer with the envelope as JSON text (Router.callAsJson). */
      asJson: boolean;
    }
  /** To the writer: a reader's request to note an API token's use. */
  | { type: 'touchApiToken'; tokenId: string; at: string }
  /** To a reader: a read the writer hands off (ReadsElsewhere), answered as a reply. */
  | { type: 'writerRead'; id: number; read: WriterRead }
  /** To the writer: the reader's answer to its read number `id`. */
  | { type: 'writerReadAnswer'; id: number; answer: HostAnswer }
  /** To the writer, before the readers close: work it would hand them is not started over itself. */
  | { type: 'closing' }
  | { type: 'close' };

export type FromHost =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | {
      type: 'reply';
      id: number;
      answer: HostAnswer;
      /** Set when the call signed in (a token) or out (null): the transport keeps it. */
      newToken?: { token: string | null };
      /** Set when a sign-in made this client a known device: the transport keeps the secret. */
      newDeviceSecret?: string;
      /** The user the call acted as, for the transport's request log. */
      userId?: string;
    }
  | { type: 'touchApiToken'; tokenId: string; at: string }
  /** From the writer: a budget alert was raised (the desktop shows a notification). */
  | { type: 'budgetAlert'; alert: BudgetAlert }
  /** From the writer: have a reader do this read for it (ReadsElsewhere). */
  | { type: 'writerRead'; id: number; read: WriterRead }
  | { type: 'log'; level: 'info' | 'error'; message: string; fields?: LogFields };

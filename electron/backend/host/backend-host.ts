import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { contract } from '../../../shared/contract';
import type { BudgetAlert } from '../../../shared/contract/alerts';
import type { ApiError } from '../../../shared/contract/envelope';
import { jsonLogger, type Logger } from '../logger';
import type { CallSession } from '../router/handler';
import { type JsonEnvelope, jsonEnvelope, type Router } from '../router/router';
import { NO_READER, type WriterRead } from '../services/reads-elsewhere';
import { THREAD_NICE } from '../thread-priority';
import {
  envelopeOf,
  type FromHost,
  type HostAnswer,
  type HostWorkerData,
  type ToHost,
  transferOf,
} from './host-messages';

export interface BackendHostOptions {
  dataDir: string;
  /** A PostgreSQL database instead of the SQLite store in dataDir. */
  database?: string;
  /** The built host worker (host-worker.ts, bundled next to the main process or the CLI). */
  hostWorker: string | URL;
  /** The built usage-import worker, handed to the writer. */
  importWorker?: string | URL;
  /** The built knowledge-extraction worker, handed to the writer (it imports knowledge files). */
  extractWorker?: string | URL;
  autoBackups?: boolean;
  /** SHA-256 (hex) of the setup code the console printed, for every thread (readers say it is required). */
  setupCodeHash?: string;
  /** Where the workers' log lines are written. */
  logger?: Logger;
  /** Reader threads of quick reads: each answers its calls at once, no report ahead of them. */
  readers?: number;
  /** Reader threads of reports (REPORT_CHANNELS), at a lower priority than the other threads. */
  reportReaders?: number;
  /** Told of each budget alert the writer raises (the desktop app shows a notification). */
  onBudgetAlert?: (alert: BudgetAlert) => void;
}

/** The contract's read channels: they go to a reader; every other channel goes to the one writer. */
const READ_CHANNELS = new Set(
  Object.entries(contract)
    .filter(([, spec]) => spec.kind === 'read')
    .map(([name]) => name),
);

/**
 * Reads that sum months of usage or walk a whole table: a cold one takes from tens of ms to seconds
 * at 10M usage rows. They have readers of their own, which yield the CPU to the threads of quick
 * calls (see THREAD_NICE), so a fast read never queues behind one nor waits for the CPU it holds.
 */
const REPORT_CHANNELS = new Set([
  'billing.margins',
  'billing.agent',
  'billing.trend',
  'statements.pending',
  'statements.usage',
  'home.attention',
  'audit.verify',
]);
for (const name of REPORT_CHANNELS)
  if (!READ_CHANNELS.has(name))
    throw new Error(`Report channel "${name}" is not a read channel of the contract.`);

/** A thread that stops this often within a minute is not restarted again. */
const MAX_CRASHES_PER_MINUTE = 3;
/** How long a thread gets to close its store on quit before it is stopped. */
const CLOSE_TIMEOUT_MS = 10_000;

const LOST: ApiError = {
  code: 'INTERNAL',
  message: 'The backend stopped while answering this call; it has been restarted. Please try again.',
};

const CLOSING = 'Orgdeck is closing.';

const pathOf = (file: string | URL) => (file instanceof URL ? fileURLToPath(file) : file);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface PendingCall {
  channel: string;
  session: CallSession;
  resolve(answer: HostAnswer): void;
}

const failed = (error: ApiError): HostAnswer => ({ kind: 'envelope', envelope: { ok: false, error } });

/** The session of the host's own requests to a thread (no client's): nothing comes back to keep. */
const HOST_SESSION: CallSession = { token: null, setToken: () => {} };

/** One worker thread of the host, restarted when it stops unasked (up to MAX_CRASHES_PER_MINUTE). */
function hostThread(
  data: HostWorkerData,
  file: string,
  logger: Logger,
  {
    onReady = () => {},
    onTouchApiToken = () => {},
    onBudgetAlert = () => {},
    onWriterRead = () => {},
  }: {
    /** Told each time the thread has opened the store (at start and after a restart). */
    onReady?: () => void;
    onTouchApiToken?: (tokenId: string, at: string) => void;
    onBudgetAlert?: (alert: BudgetAlert) => void;
    /** The writer hands off a read (answered with `writerReadAnswer`). */
    onWriterRead?: (id: number, read: WriterRead) => void;
  },
) {
  let started: () => void = () => {};
  /** Settles once the thread first opened the store, or failed to. */
  const firstStart = new Promise<void>((resolve) => {
    started = resolve;
  });
  const pending = new Map<number, PendingCall>();
  const crashes: number[] = [];
  let nextId = 1;
  let worker: Worker;
  let ready = false;
  /** Why this thread answers no more calls: it could not open the store, or kept crashing. */
  let failure: string | undefined;
  let closing: Promise<void> | undefined;

  function settleAll(error: ApiError): void {
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.resolve(failed(error));
  }

  function onMessage(message: FromHost): void {
    if (message.type === 'reply') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.newToken) call.session.setToken(message.newToken.token);
      if (message.newDeviceSecret) call.session.setDeviceSecret?.(message.newDeviceSecret);
      if (message.userId) call.session.identified?.(message.userId);
      call.resolve(message.answer);
    } else if (message.type === 'ready') {
      ready = true;
      started();
      onReady();
    } else if (message.type === 'failed') {
      failure = `Orgdeck could not open its data: ${message.message}`;
      logger.error('backend host thread failed to start', { role: data.role, error: message.message });
      settleAll({ code: 'UNAVAILABLE', message: failure });
      started();
    } else if (message.type === 'touchApiToken') {
      onTouchApiToken(message.tokenId, message.at);
    } else if (message.type === 'budgetAlert') {
      onBudgetAlert(message.alert);
    } else if (message.type === 'writerRead') {
      onWriterRead(message.id, message.read);
    } else if (message.type === 'log') {
      logger[message.level](message.message, message.fields);
    }
  }

  function start(): void {
    ready = false;
    worker = new Worker(file, { workerData: data });
    worker.on('message', onMessage);
    worker.on('error', (error) =>
      logger.error('backend host thread failed', { role: data.role, error: messageOf(error) }),
    );
    worker.once('exit', (code) => {
      ready = false;
      if (closing || failure) {
        settleAll({ code: 'UNAVAILABLE', message: failure ?? CLOSING });
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while ((crashes[0] ?? now) < now - 60_000) crashes.shift();
      if (crashes.length > MAX_CRASHES_PER_MINUTE) {
        failure = `The backend's ${data.role} thread stopped ${crashes.length} times in a minute; restart Orgdeck.`;
        logger.error('backend host thread not restarted', { role: data.role, code });
        settleAll({ code: 'UNAVAILABLE', message: failure });
        return;
      }
      logger.error('backend host thread stopped; restarting it', { role: data.role, code });
      settleAll(LOST);
      start();
    });
  }
  start();

  return {
    firstStart,
    /** Why it answers no calls, if it does not. */
    problem: () => failure,
    /** Ready and not failed: it may be given calls. */
    usable: () => ready && failure === undefined,
    inFlight: () => pending.size,
    call(channel: string, input: unknown, session: CallSession, asJson: boolean): Promise<HostAnswer> {
      if (failure) return Promise.resolve(failed({ code: 'UNAVAILABLE', message: failure }));
      if (closing) return Promise.resolve(failed({ code: 'UNAVAILABLE', message: CLOSING }));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { channel, session, resolve });
        const message: ToHost = {
          type: 'call',
          id,
          channel,
          input,
          session: {
            token: session.token,
            principal: session.principal,
            clientAddress: session.clientAddress,
            deviceSecret: session.deviceSecret,
          },
          asJson,
        };
        try {
          worker.postMessage(message);
        } catch (error) {
          // Only input no transport produces fails to copy (functions, symbols, nesting deeper than
          // the copy's stack). The engine's words are logged, not answered: they name its insides.
          pending.delete(id);
          logger.error('call input not copied to a backend thread', { channel, error: messageOf(error) });
          resolve(
            failed({
              code: 'VALIDATION',
              message:
                'The input cannot be read: it is nested too deeply, or holds values JSON cannot carry.',
            }),
          );
        }
      });
    },
    touchApiToken(tokenId: string, at: string): void {
      if (ready) worker.postMessage({ type: 'touchApiToken', tokenId, at } satisfies ToHost);
    },
    /** A reader's answer to a read the writer handed off, as an envelope (answered like a call, lost like one). */
    readForWriter(read: WriterRead): Promise<HostAnswer> {
      if (failure) return Promise.resolve(failed({ code: 'UNAVAILABLE', message: failure }));
      if (closing) return Promise.resolve(failed({ code: 'UNAVAILABLE', message: CLOSING }));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { channel: read.kind, session: HOST_SESSION, resolve });
        worker.postMessage({ type: 'writerRead', id, read } satisfies ToHost);
      });
    },
    /** Tells the thread the host is closing (`closing`): before its readers, to the writer. */
    closing(): void {
      if (ready) worker.postMessage({ type: 'closing' } satisfies ToHost);
    },
    /** Hands the writer the answer to its read number `id`. */
    writerReadAnswer(id: number, answer: HostAnswer): void {
      worker.postMessage({ type: 'writerReadAnswer', id, answer } satisfies ToHost, transferOf(answer));
    },
    /** Asks the thread to close its store and waits for it to end (stopping it after CLOSE_TIMEOUT_MS). */
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        if (worker.threadId === -1) {
          resolve();
          return;
        }
        const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage({ type: 'close' } satisfies ToHost);
      });
      return closing;
    },
  };
}

type HostThread = ReturnType<typeof hostThread>;

/**
 * The backend off the caller's thread: the desktop's main process and `orgdeck serve` hand each
 * call to it as a message and get the envelope back, so neither the window nor the HTTP loop
 * waits on SQLite. One writer thread owns the store (migrations, timers, every write channel);
 * reader threads answer the read channels on read-only connections (WAL), so a cold report or a
 * re-pricing never queues a fast read; reports have readers of their own (REPORT_CHANNELS).
 * Exposes the Router interface every transport binds.
 */
export function openBackendHost({
  dataDir,
  database,
  hostWorker,
  importWorker,
  extractWorker,
  autoBackups = false,
  setupCodeHash,
  logger = jsonLogger(),
  readers = 2,
  reportReaders = 1,
  onBudgetAlert,
}: BackendHostOptions) {
  const file = pathOf(hostWorker);
  const shared = {
    dataDir,
    database,
    importWorker: importWorker && pathOf(importWorker),
    extractWorker: extractWorker && pathOf(extractWorker),
    setupCodeHash,
  };
  const readerThreads: HostThread[] = [];
  const reportThreads: HostThread[] = [];
  let checkpointer: HostThread | undefined;
  let readersStarted: () => void = () => {};
  const readersStarting = new Promise<void>((resolve) => {
    readersStarted = resolve;
  });
  const touchApiToken = (tokenId: string, at: string) => writer.touchApiToken(tokenId, at);
  // Readers open the store once the writer has created and migrated it.
  const startReaders = () => {
    if (readerThreads.length + reportThreads.length > 0) return;
    // SQLite's writer leaves checkpoints to this thread, so no commit of its stops to copy the log.
    if (!database)
      checkpointer = hostThread(
        // At the writer's priority: a checkpointer left behind lets the log grow, and every read slows.
        { ...shared, role: 'checkpointer', autoBackups: false, nice: THREAD_NICE.calls },
        file,
        logger,
        {},
      );
    const reader = (nice: number) =>
      hostThread({ ...shared, role: 'reader', autoBackups: false, nice }, file, logger, {
        onTouchApiToken: touchApiToken,
      });
    for (let i = 0; i < readers; i++) readerThreads.push(reader(THREAD_NICE.calls));
    for (let i = 0; i < reportReaders; i++) reportThreads.push(reader(THREAD_NICE.slowWork));
    readersStarted();
  };
  const writer = hostThread(
    { ...shared, role: 'writer', autoBackups, nice: THREAD_NICE.calls },
    file,
    logger,
    {
      onReady: startReaders,
      onBudgetAlert,
      onWriterRead: (id, read) =>
        void readForWriter(read).then((answer) => writer.writerReadAnswer(id, answer)),
    },
  );

  const leastBusy = (threads: HostThread[]) => {
    let best: HostThread | undefined;
    for (const thread of threads) {
      if (thread.usable() && (!best || thread.inFlight() < best.inFlight())) best = thread;
    }
    return best;
  };

  /**
   * A report's least busy ready report reader, another read's least busy quick reader; while none
   * is ready (at start, or if they failed), a quick reader for a report, the writer for any read.
   */
  function threadFor(channel: string): HostThread {
    if (!READ_CHANNELS.has(channel)) return writer;
    const report = REPORT_CHANNELS.has(channel) ? leastBusy(reportThreads) : undefined;
    return report ?? leastBusy(readerThreads) ?? writer;
  }

  /**
   * A read the writer hands off (ReadsElsewhere: a budget check's, an export's, a backup's copy),
   * on a report reader (a quick one if none is ready) once the readers have started: at 10M usage
   * rows it takes seconds, which every write would wait. With no reader, the failure (NO_READER)
   * tells the writer to read itself.
   */
  async function readForWriter(read: WriterRead): Promise<HostAnswer> {
    await ready.catch(() => {});
    const reader = leastBusy(reportThreads) ?? leastBusy(readerThreads);
    return reader ? reader.readForWriter(read) : failed(NO_READER);
  }

  const router: Required<Router> = {
    channels: Object.keys(contract),
    call: async (name, input, session) => {
      const answer = await threadFor(name).call(name, input, session, false);
      return envelopeOf(answer);
    },
    callAsJson: async (name, input, session): Promise<JsonEnvelope> => {
      const answer = await threadFor(name).call(name, input, session, true);
      return answer.kind === 'json'
        ? { json: answer.json, error: answer.error }
        : jsonEnvelope(envelopeOf(answer));
    },
  };

  // A writer that cannot open the store starts no readers: every call then answers its reason.
  const ready = writer.firstStart
    .then(() => {
      const problem = writer.problem();
      if (problem) throw new Error(problem);
      return readersStarting;
    })
    .then(() => Promise.all([...readerThreads, ...reportThreads].map((thread) => thread.firstStart)))
    .then(() => {});
  // Callers that never wait for it still see the reason in every call: no unhandled rejection.
  ready.catch(() => {});

  return {
    router,
    /**
     * Resolves when every thread has opened the store or failed to; rejects with the reason when the
     * writer could not. Calls made before it settles wait for their thread.
     */
    ready,
    /**
     * Closes the readers' and the checkpointer's connections, then the writer's store. The writer
     * hears first, so a backup a closing reader cuts short is not copied again on the writer.
     */
    async close(): Promise<void> {
      writer.closing();
      await Promise.all(
        [...readerThreads, ...reportThreads, ...(checkpointer ? [checkpointer] : [])].map((thread) =>
          thread.close(),
        ),
      );
      await writer.close();
    },
  };
}

export type BackendHost = ReturnType<typeof openBackendHost>;

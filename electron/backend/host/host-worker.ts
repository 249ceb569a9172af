// One backend in a worker thread: the writer (store, migrations, timers, every write channel), a
// reader (a read-only connection for the contract's read channels), or, on SQLite, the checkpointer
// (copies the write-ahead log into the store, so the writer's commits need not). Started by
// backend-host.ts.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, type Envelope, INTERNAL_ERROR } from '../../../shared/contract/envelope';
import { type Backend, DATABASE_FILE, openBackend } from '../backend';
import type { Logger } from '../logger';
import type { CallSession } from '../router/handler';
import { jsonEnvelope } from '../router/router';
import type { BudgetReading } from '../services/alerts-service';
import type { ReadsElsewhere, WriterRead } from '../services/reads-elsewhere';
import { leaveCheckpointsToOthers, openWalCheckpointer } from '../store/database';
import type { OrgRows } from '../store/repos/transfer-repo';
import { lowerThisThreadPriority } from '../thread-priority';
import {
  envelopeOf,
  type FromHost,
  type HostAnswer,
  type HostWorkerData,
  serializedAnswer,
  type ToHost,
  transferOf,
} from './host-messages';

if (!parentPort) throw new Error('host-worker.ts runs as a worker thread of the backend host.');
const port = parentPort;
const options = workerData as HostWorkerData;
const post = (message: FromHost, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

// Log lines go to the host's logger, so the transport decides where they are written.
const logger: Logger = {
  info: (message, fields) => post({ type: 'log', level: 'info', message, fields }),
  error: (message, fields) => post({ type: 'log', level: 'error', message, fields }),
};

async function answer(backend: Backend, message: Extract<ToHost, { type: 'call' }>): Promise<void> {
  let newToken: { token: string | null } | undefined;
  let userId: string | undefined;
  let newDeviceSecret: string | undefined;
  const session: CallSession = {
    ...message.session,
    setToken: (token) => {
      newToken = { token };
    },
    identified: (id) => {
      userId = id;
    },
    setDeviceSecret: (secret) => {
      newDeviceSecret = secret;
    },
  };
  const envelope = await backend.router.call(message.channel, message.input, session);
  const answerOf = (envelope: Envelope<unknown>): HostAnswer =>
    message.asJson ? { kind: 'json', ...jsonEnvelope(envelope) } : { kind: 'envelope', envelope };
  try {
    post({ type: 'reply', id: message.id, answer: answerOf(envelope), newToken, newDeviceSecret, userId });
  } catch (error) {
    // Data that cannot be copied or written as JSON is a handler bug: an error envelope, not a hang.
    logger.error('reply not sent', {
      channel: message.channel,
      error: error instanceof Error ? error.message : String(error),
    });
    post({
      type: 'reply',
      id: message.id,
      answer: answerOf({ ok: false, error: INTERNAL_ERROR }),
      newToken,
      newDeviceSecret,
      userId,
    });
  }
}

/** How often the checkpointer copies what the writer committed into the store file. */
const CHECKPOINT_EVERY_MS = 100;

/** The checkpointer's thread: a passive checkpoint every CHECKPOINT_EVERY_MS, until told to close. */
function checkpointWal(): void {
  let checkpointer: ReturnType<typeof openWalCheckpointer>;
  try {
    checkpointer = openWalCheckpointer(join(options.dataDir, DATABASE_FILE));
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  const timer = setInterval(() => {
    try {
      checkpointer.checkpoint();
    } catch (error) {
      // The log is copied at the next turn, or by the writer's last connection at close.
      logger.error('write-ahead log not checkpointed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }, CHECKPOINT_EVERY_MS);
  port.on('message', (message: ToHost) => {
    if (message.type !== 'close') return;
    clearInterval(timer);
    checkpointer.close();
    port.close();
  });
  post({ type: 'ready' });
}

/**
 * The writer's slow reads, each handed to a reader through the host and settled by its answer, a
 * reader's envelope.
 */
function readsThroughHost() {
  const waiting = new Map<number, { resolve(data: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const ask = (read: WriterRead): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      post({ type: 'writerRead', id, read });
    });
  };
  const reads: ReadsElsewhere = {
    budgets: (at) => ask({ kind: 'budgets', at }) as Promise<BudgetReading[]>,
    orgRows: (orgId) => ask({ kind: 'orgRows', orgId }) as Promise<OrgRows | undefined>,
    copySnapshot: async (out) => {
      await ask({ kind: 'copySnapshot', out });
    },
  };
  return {
    reads,
    answered(id: number, answer: HostAnswer): void {
      const read = waiting.get(id);
      if (!read) return;
      waiting.delete(id);
      const envelope = envelopeOf(answer);
      if (envelope.ok) read.resolve(envelope.data);
      else read.reject(new AppError(envelope.error.code, envelope.error.message, envelope.error.details));
    },
  };
}

function readFor(backend: Backend, read: WriterRead): Promise<unknown> {
  const { alerts, transfer, backups } = backend.services;
  switch (read.kind) {
    case 'budgets':
      return alerts.readBudgets(read.at);
    case 'orgRows':
      return transfer.readOrgRows(read.orgId);
    case 'copySnapshot':
      return backups.copySnapshot(read.out).then(() => null);
  }
}

/** A reader's answer to a read the writer handed off: what it read, or why it could not. */
async function readForWriter(backend: Backend, id: number, read: WriterRead): Promise<void> {
  let envelope: Envelope<unknown>;
  try {
    envelope = { ok: true, data: await readFor(backend, read) };
  } catch (error) {
    // The read's own refusal (a backup's full disk, a close) goes back as it is, for the writer to
    // say or log; anything else is a bug, logged here.
    if (error instanceof AppError) envelope = { ok: false, error: error.toApiError() };
    else {
      logger.error('read for the writer failed', {
        read: read.kind,
        error: error instanceof Error ? error.message : String(error),
      });
      envelope = { ok: false, error: INTERNAL_ERROR };
    }
  }
  let answer: HostAnswer;
  try {
    answer = serializedAnswer(envelope);
  } catch (error) {
    // Data that cannot be serialized is a bug of the read: an error answer, not a lost thread.
    logger.error('read for the writer not sent', {
      read: read.kind,
      error: error instanceof Error ? error.message : String(error),
    });
    answer = serializedAnswer({ ok: false, error: INTERNAL_ERROR });
  }
  post({ type: 'reply', id, answer }, transferOf(answer));
}

/** A writer's or reader's thread: opens the backend and answers the calls the host hands it. */
function serveCalls(): void {
  const writerReads = options.role === 'writer' ? readsThroughHost() : undefined;
  let backend: Backend;
  try {
    backend = openBackend({
      dataDir: options.dataDir,
      database: options.database,
      logger,
      importWorker: options.importWorker,
      extractWorker: options.extractWorker,
      setupCodeHash: options.setupCodeHash,
      autoBackups: options.autoBackups,
      // The writer alone checks budgets (at start, hourly, after imports) and tells the host of alerts.
      alertSchedule: options.role === 'writer',
      onBudgetAlert: (alert) => post({ type: 'budgetAlert', alert }),
      readsElsewhere: writerReads?.reads,
      reader:
        options.role === 'reader'
          ? { touchApiToken: (tokenId, at) => post({ type: 'touchApiToken', tokenId, at }) }
          : undefined,
    });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  // On SQLite the host runs a checkpointer thread beside the writer.
  if (options.role === 'writer' && backend.store.sqlite) leaveCheckpointsToOthers(backend.store.sqlite);

  function touchApiToken(tokenId: string, at: string): void {
    try {
      backend.store.apiTokens.touch(tokenId, at);
    } catch (error) {
      // Only the token's "last used" note is lost; the read it came with was answered.
      logger.error('API token use not noted', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  port.on('message', (message: ToHost) => {
    if (message.type === 'call') void answer(backend, message);
    else if (message.type === 'touchApiToken') touchApiToken(message.tokenId, message.at);
    else if (message.type === 'writerRead') void readForWriter(backend, message.id, message.read);
    else if (message.type === 'writerReadAnswer') writerReads?.answered(message.id, message.answer);
    else if (message.type === 'closing') backend.closing();
    else {
      // The thread ends once its store is closed and nothing else (an import) is running.
      backend.close();
      port.close();
    }
  });
  post({ type: 'ready' });
}

// The window's (or the HTTP loop's) thread gets the CPU first, and a report's reader after the others.
lowerThisThreadPriority(options.nice);
if (options.role === 'checkpointer') checkpointWal();
else serveCalls();

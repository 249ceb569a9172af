import { type MessagePort, Worker } from 'node:worker_threads';
import { batchBuffers, type UsageBatch } from './usage-batch';
import { readUsageBatches } from './usage-reader';

export interface ReaderTask {
  role: 'reader';
  file: string;
  batchSize: number;
}

type ToWriter = { type: 'batch'; batch: UsageBatch } | { type: 'end' } | { type: 'failed'; message: string };

/** Batches the reader may have sent ahead of the writer: the reader is the faster, so one keeps both busy. */
const AHEAD = 1;

/** In the reader thread: parses the file and posts its batches, never more than AHEAD unwritten. */
export async function serveBatches(port: MessagePort, task: ReaderTask): Promise<void> {
  let credits = AHEAD;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  try {
    for await (const batch of readUsageBatches(task.file, task.batchSize)) {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      port.postMessage({ type: 'batch', batch } satisfies ToWriter, batchBuffers(batch));
    }
    port.postMessage({ type: 'end' } satisfies ToWriter);
  } catch (error) {
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    } satisfies ToWriter);
  }
}

/**
 * The file's batches, parsed in a thread of their own (`workerFile` in the reader role) while this
 * one writes: on two cores, reading and writing then overlap instead of taking turns.
 */
export async function* batchesFromThread(
  workerFile: string | URL,
  file: string,
  batchSize: number,
): AsyncGenerator<UsageBatch> {
  const worker = new Worker(workerFile, {
    workerData: { role: 'reader', file, batchSize } satisfies ReaderTask,
  });
  const queue: ToWriter[] = [];
  let wake: (() => void) | undefined;
  const push = (message: ToWriter) => {
    queue.push(message);
    wake?.();
  };
  worker.on('message', push);
  worker.once('error', (error) => push({ type: 'failed', message: error.message }));
  worker.once('exit', (code) =>
    push({ type: 'failed', message: `The usage file reader stopped (exit code ${code}).` }),
  );
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift() as ToWriter;
      if (message.type === 'end') return;
      if (message.type === 'failed') throw new Error(message.message);
      yield message.batch;
      worker.postMessage('written');
    }
  } finally {
    await worker.terminate();
  }
}

import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/contract/envelope';
import { KNOWLEDGE_EXTENSIONS, MAX_BODY_CHARS } from '../../../shared/contract/knowledge';
import { THREAD_NICE } from '../thread-priority';
import type { ExtractOutcome, ExtractTask, TextFormat } from './extract-worker';

export interface ExtractedText {
  title: string;
  body: string;
}

/** `reader`: who asked (a user's id): one person's files take a few of the places, never all. */
export type TextExtractor = (path: string, fileName: string, reader: string) => Promise<ExtractedText>;

export interface ExtractLimits {
  /** A file whose text is not out by then is refused and its thread stopped. */
  timeoutMs: number;
  /** The extraction thread's heap; a file needing more is refused. */
  heapMb: number;
  /**
   * How much the process may grow (resident memory) while a file is extracted; past it, the file is
   * refused. The heap limit leaves out a thread's buffers, and a PDF's streams are decoded into
   * them: a few MB of compressed zeros would take the process's memory, every tenant's server.
   * Only the process's memory can be read from here, so what else grows meanwhile (the other
   * extraction, an import's cache) counts too: a file may then be refused that can be added again.
   */
  memoryMb: number;
  /** Extractions running at once; more wait their turn, so a burst of files cannot exhaust memory. */
  concurrent: number;
  /**
   * Files waiting their turn, at most; more are refused (RATE_LIMITED) and their upload removed:
   * each holds its upload's file on disk, and a tenant sending slow files without end would hold
   * every org's imports back behind them.
   */
  waiting: number;
  /** Files one reader may have being read or waiting, at most; more of theirs are refused (RATE_LIMITED). */
  perReader: number;
}

const DEFAULT_LIMITS: ExtractLimits = {
  timeoutMs: 20_000,
  heapMb: 256,
  memoryMb: 1024,
  concurrent: 2,
  waiting: 8,
  perReader: 2,
};
/** How often the process's memory is looked at while a file is extracted. */
const MEMORY_CHECK_MS = 20;
const MB = 1024 * 1024;

/** The worker as it is in the sources, for runs from them (tests, tools); builds pass their bundled copy. */
export const SOURCE_EXTRACT_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'extract-worker.ts');

const FORMATS: Record<(typeof KNOWLEDGE_EXTENSIONS)[number], TextFormat> = {
  '.md': 'text',
  '.markdown': 'text',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

function formatOf(fileName: string): TextFormat {
  const extension = extname(fileName).toLowerCase();
  if (!Object.hasOwn(FORMATS, extension)) {
    throw new AppError(
      'VALIDATION',
      `${fileName}: only ${KNOWLEDGE_EXTENSIONS.join(', ')} files can be added.`,
    );
  }
  return FORMATS[extension as keyof typeof FORMATS];
}

function refused(fileName: string, outcome: Extract<ExtractOutcome, { ok: false }>): AppError {
  switch (outcome.refusal) {
    case 'too-deep':
      return new AppError('VALIDATION', `${fileName}: this file is nested too deeply to extract.`);
    case 'too-long':
      return new AppError('VALIDATION', `${fileName}: a document is at most 2 MB of text.`);
    case 'unreadable-pdf':
      return new AppError('VALIDATION', `${fileName} is not a readable PDF.`);
  }
}

/**
 * Extracts a knowledge file's text (Markdown and text as they are, HTML and PDF converted) in a
 * thread of its own with a time and memory limit, so no file can hold up other calls or the process.
 */
export function createTextExtractor(
  workerFile: string | URL,
  limits: ExtractLimits = DEFAULT_LIMITS,
): TextExtractor {
  let running = 0;
  const waiting: (() => void)[] = [];
  /** Files each reader has being read or waiting. */
  const inFlight = new Map<string, number>();

  function run(task: ExtractTask): Promise<ExtractedText> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerFile, {
        workerData: { extract: task, nice: THREAD_NICE.slowWork },
        resourceLimits: {
          maxOldGenerationSizeMb: limits.heapMb,
          maxYoungGenerationSizeMb: 32,
          stackSizeMb: 4,
        },
      });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(memoryWatch);
        // Answered once the thread is gone, and its memory with it: the next file's turn, and its
        // memory watch's starting point, come after.
        void worker.terminate().then(outcome, outcome);
      };
      const tooLarge = (why: string) =>
        new AppError('VALIDATION', `${task.fileName}: this file is too large to extract (${why}).`);
      const timer = setTimeout(
        () => settle(() => reject(tooLarge(`its text took longer than ${limits.timeoutMs / 1000} s`))),
        limits.timeoutMs,
      );
      const residentAtStart = process.memoryUsage.rss();
      const memoryWatch = setInterval(() => {
        if (process.memoryUsage.rss() - residentAtStart > limits.memoryMb * MB)
          settle(() => reject(tooLarge(`reading it took the server past ${limits.memoryMb} MB more memory`)));
      }, MEMORY_CHECK_MS);
      worker.once('message', (outcome: ExtractOutcome) =>
        settle(() => (outcome.ok ? resolve(outcome) : reject(refused(task.fileName, outcome)))),
      );
      worker.once('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? tooLarge(`it needs more than ${limits.heapMb} MB of memory`)
              : error,
          ),
        ),
      );
      worker.once('exit', (code) =>
        settle(() => reject(new Error(`The text extraction thread stopped (exit code ${code}).`))),
      );
    });
  }

  return async (path, fileName, reader) => {
    const task: ExtractTask = { path, fileName, format: formatOf(fileName), maxChars: MAX_BODY_CHARS };
    const theirs = inFlight.get(reader) ?? 0;
    if (theirs >= limits.perReader)
      throw new AppError(
        'RATE_LIMITED',
        `${fileName}: your other files are still being read. Add it once they are in.`,
      );
    if (running >= limits.concurrent && waiting.length >= limits.waiting)
      throw new AppError(
        'RATE_LIMITED',
        `${fileName}: too many files are being read right now. Add it again in a minute.`,
      );
    inFlight.set(reader, theirs + 1);
    if (running < limits.concurrent) running++;
    // A finishing extraction hands its slot straight to the next one waiting.
    else await new Promise<void>((turn) => waiting.push(turn));
    try {
      const { title, body } = await run(task);
      return { title, body };
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
      const left = (inFlight.get(reader) ?? 1) - 1;
      if (left === 0) inFlight.delete(reader);
      else inFlight.set(reader, left);
    }
  };
}

// The forwarding side of `npm run bench -- host`, run by scripts/bench.ts in a process of its own:
// like `orgdeck serve` (and the desktop's main process), it holds nothing but the backend host, so
// the stall it measures is the host's, not the collection of the bench's in-process import.
// Takes one argument, the JSON of HostBenchTask; prints its figures as JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { DATABASE_FILE } from '../electron/backend/backend';
import { openBackendHost } from '../electron/backend/host/backend-host';
import { silentLogger } from '../electron/backend/logger';
import type { CallSession } from '../electron/backend/router/handler';
import { LOCAL_OWNER } from '../electron/backend/services/principal';
import { walBytes } from '../electron/backend/store/database';
import { IDLE_PROCESS_READY, IDLE_PROCESS_SCRIPT, measureStalls } from './event-loop-stall';
import { loadAverage } from './measure';

export interface HostBenchTask {
  dataDir: string;
  hostWorker: string;
  importWorker: string;
  extractWorker: string;
  /** The org the HTML file is imported into. */
  orgId: string;
  /** The model re-priced while the fast calls run. */
  model: string;
  /** The org exported, then imported as a copy while the fast calls run; another one's is edited. */
  archivedOrgId: string;
}

const task = JSON.parse(process.argv[2] ?? '') as HostBenchTask;
// Without it the bench's own garbage would be collected inside a phase and counted as the host's stall.
const exposedGc = (globalThis as { gc?: () => void }).gc;
if (exposedGc === undefined) {
  console.error('bench-host runs under node --expose-gc (npm run bench -- host starts it so).');
  process.exit(2);
}
const collectGarbage: () => void = exposedGc;
const owner: CallSession = { token: null, setToken: () => {}, principal: LOCAL_OWNER };

/** A 1 MiB HTML page of deeply nested tags: the kind of file that froze `serve` while it was extracted. */
function nestedHtml(): Buffer {
  const depth = 90_000;
  return Buffer.from(
    `<html><body>${'<div>'.repeat(depth)}refund policy${'</div>'.repeat(depth)}</body></html>`,
  );
}

/**
 * A process that does nothing but measure its own event loop, until told to stop: its longest stall
 * is what the shared machine's scheduler alone adds, the floor under the host's figure. Resolves
 * once it measures: starting a process blocks the thread that starts it (tens of ms here), which
 * must not be counted as the host's.
 */
async function idleProcess() {
  const child = spawn(process.execPath, ['-e', IDLE_PROCESS_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  while (!out.startsWith(IDLE_PROCESS_READY)) await once(child.stdout, 'data');
  return {
    async longestStallMs(): Promise<number> {
      child.stdin.end();
      await once(child, 'exit');
      return Number(Number(out.slice(IDLE_PROCESS_READY.length)).toFixed(1));
    },
  };
}

type HostCall = (name: string, input: unknown) => Promise<string>;

/** A fast call's timings, in order: their p50, p99 and longest. */
function spread(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1));
  return { calls: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** Calls `call` every 10 ms until `running` says to stop; returns how long each took (ms). */
async function everyTenMs(call: () => Promise<unknown>, running: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (running()) {
    const at = performance.now();
    await call();
    times.push(performance.now() - at);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return times;
}

/**
 * The store's write-ahead log's largest size (MB), looked at every 100 ms until `stop()`: a long
 * rewrite that never lets the checkpointer catch up grows it by gigabytes (see walKeeper).
 */
function watchWalSize() {
  const store = join(task.dataDir, DATABASE_FILE);
  let largest = 0;
  const look = () => {
    largest = Math.max(largest, walBytes(store));
  };
  const timer = setInterval(look, 100);
  return {
    stop(): number {
      clearInterval(timer);
      look();
      return Math.round(largest / 2 ** 20);
    },
  };
}

/**
 * Starts the work `start` returns, and until it settles, every 10 ms: orgs.list (a read, answered by
 * a reader thread) and orgs.update of one field (a write, answered by the writer thread, which a
 * slow write holds): their p50 and p99, the main thread's longest stall and the log's largest size. The bench's own
 * garbage (an archive read back and uploaded again, in base64) is collected first, so a collection
 * of it is not counted as the host's.
 */
async function fastCallsUntil<Result>(start: () => Promise<Result>, hostCall: HostCall, orgId: string) {
  const idle = await idleProcess();
  collectGarbage();
  let running = true;
  const work = start().finally(() => {
    running = false;
  });
  const stalls = measureStalls();
  const walSize = watchWalSize();
  const started = performance.now();
  let edits = 0;
  const [reads, writes] = await Promise.all([
    everyTenMs(
      () => hostCall('orgs.list', {}),
      () => running,
    ),
    everyTenMs(
      () => hostCall('orgs.update', { id: orgId, contactName: `bench ${edits++}` }),
      () => running,
    ),
  ]);
  const figures = {
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    mainThreadLongestStallMs: stalls.longestMs(),
    idleProcessLongestStallMs: await idle.longestStallMs(),
    'orgs.list (ms)': spread(reads),
    'orgs.update, on the writer (ms)': spread(writes),
    writeAheadLogLargestMB: walSize.stop(),
  };
  return { result: await work, figures };
}

const host = openBackendHost({
  dataDir: task.dataDir,
  hostWorker: task.hostWorker,
  importWorker: task.importWorker,
  extractWorker: task.extractWorker,
  logger: silentLogger,
});
try {
  await host.ready;
  // As `orgdeck serve` forwards a call: the answer stays the JSON text the host's thread made.
  const hostCall = async (name: string, input: unknown): Promise<string> => {
    const answer = await host.router.callAsJson(name, input, owner);
    if (answer.error) throw new Error(`${name}: ${answer.error.message}`);
    return answer.json;
  };
  for (let i = 0; i < 20; i++) await hostCall('orgs.list', {});
  const html = nestedHtml();
  const begun = await hostCall('uploads.begin', { fileName: 'nested.html', size: html.length });
  const { uploadId } = (JSON.parse(begun) as { data: { uploadId: string } }).data;
  for (let offset = 0; offset < html.length; offset += 512 * 1024) {
    const data = html.subarray(offset, offset + 512 * 1024).toString('base64');
    await hostCall('uploads.chunk', { uploadId, offset, data });
  }

  const fast = <Result>(start: () => Promise<Result>) => fastCallsUntil(start, hostCall, task.orgId);
  const { figures: idle } = await fast(() => new Promise((resolve) => setTimeout(resolve, 3000)));
  const timedSlow = async (run: () => Promise<unknown>) => {
    const at = performance.now();
    const outcome = await run().then(
      () => 'done',
      (error: Error) => error.message.slice(0, 120),
    );
    return { outcome, ms: Math.round(performance.now() - at) };
  };
  const {
    result: [margins, repricing, extraction],
    figures: busy,
  } = await fast(() =>
    Promise.all([
      // A month no call has asked for: computed from the rollups, not from a kept report.
      timedSlow(() => hostCall('billing.margins', { month: '2026-09' })),
      timedSlow(() =>
        hostCall('prices.set', { model: task.model, input: '0.30', output: '1.20', from: '2026-02-10' }),
      ),
      timedSlow(() => hostCall('knowledge.importFile', { orgId: task.orgId, uploadId })),
    ]),
  );

  // An org's archive, uploaded and previewed first: its apply is what the fast calls run beside.
  const exported = JSON.parse(await hostCall('orgs.export', { id: task.archivedOrgId })) as {
    data: { content: string };
  };
  const archive = Buffer.from(exported.data.content);
  const archiveUpload = JSON.parse(
    await hostCall('uploads.begin', { fileName: 'org.json', size: archive.length, purpose: 'archive' }),
  ) as { data: { uploadId: string } };
  for (let offset = 0; offset < archive.length; offset += 512 * 1024) {
    const data = archive.subarray(offset, offset + 512 * 1024).toString('base64');
    await hostCall('uploads.chunk', { uploadId: archiveUpload.data.uploadId, offset, data });
  }
  const preview = JSON.parse(
    await hostCall('orgs.importPreview', { uploadId: archiveUpload.data.uploadId }),
  ) as { data: { importId: string; counts: Record<string, number> } };
  const { result: applied, figures: whileApplying } = await fast(() =>
    timedSlow(() =>
      hostCall('orgs.importApply', { importId: preview.data.importId, slug: 'bench-archive-copy' }),
    ),
  );
  const applyLoad = loadAverage();

  // A backup of the whole store (1.6 GB at the bench's scale), made as Settings' button makes one.
  const { result: backedUp, figures: whileBackingUp } = await fast(() =>
    timedSlow(() => hostCall('backups.create', {})),
  );
  const backupLoad = loadAverage();

  // The bench's one usage import, every row of it, undone.
  const jobs = JSON.parse(await hostCall('jobs.list', {})) as { data: { id: string; imported: number }[] };
  const job = jobs.data.reduce((most, next) => (next.imported > most.imported ? next : most));
  const { result: undone, figures: whileUndoing } = await fast(() =>
    timedSlow(() => hostCall('usage.undo', { jobId: job.id })),
  );
  const undoLoad = loadAverage();

  console.log(
    JSON.stringify({
      // The same fast calls with nothing slow running: what the shared machine itself adds.
      'idle, 3 s': idle,
      'while slow calls run': {
        slowCalls: {
          'billing.margins cold': margins,
          'prices.set re-pricing': repricing,
          'knowledge.importFile 1 MiB nested HTML': extraction,
        },
        ...busy,
      },
      'while an org archive is imported': {
        load: applyLoad,
        archive: { bytes: archive.length, ...preview.data.counts },
        'orgs.importApply': applied,
        ...whileApplying,
      },
      'while a backup is made': {
        load: backupLoad,
        'backups.create': backedUp,
        ...whileBackingUp,
      },
      'while a usage import is undone': {
        load: undoLoad,
        'usage.undo': { imported: job.imported, ...undone },
        ...whileUndoing,
      },
    }),
  );
} finally {
  await host.close();
}

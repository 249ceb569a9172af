// The forwarding side of `npm run bench -- host`, run by scripts/bench.ts in a process of its own:
// like `orgdeck serve` (and the desktop's main process), it holds nothing but the backend host, so
// the stall it measures is the host's, not the collection of the bench's in-process import.
// Takes one argument, the JSON of HostBenchTask; prints its figures as JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openBackendHost } from '../electron/backend/host/backend-host';
import { silentLogger } from '../electron/backend/logger';
import type { CallSession } from '../electron/backend/router/handler';
import { LOCAL_OWNER } from '../electron/backend/services/principal';

export interface HostBenchTask {
  dataDir: string;
  hostWorker: string;
  importWorker: string;
  extractWorker: string;
  /** The org the HTML file is imported into. */
  orgId: string;
  /** The model re-priced while the fast calls run. */
  model: string;
}

const task = JSON.parse(process.argv[2] ?? '') as HostBenchTask;
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
 * is what the shared machine's scheduler alone adds, the floor under the host's figure.
 */
function idleProcess() {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const delay = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
       delay.enable();
       process.stdin.on('end', () => process.stdout.write(String(delay.max / 1e6))).resume();`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return {
    async longestStallMs(): Promise<number> {
      child.stdin.end();
      await once(child, 'exit');
      return Number(Number(out).toFixed(1));
    },
  };
}

/** orgs.list every 10 ms until `done` settles: its p50 and p99, and the main thread's longest stall. */
async function fastCallsUntil(
  done: Promise<unknown>,
  hostCall: (name: string, input: unknown) => Promise<unknown>,
) {
  let running = true;
  void done.finally(() => {
    running = false;
  });
  const idle = idleProcess();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const times: number[] = [];
  while (running) {
    const at = performance.now();
    await hostCall('orgs.list', {});
    times.push(performance.now() - at);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  delay.disable();
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    Number((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(1));
  return {
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    mainThreadLongestStallMs: Number((delay.max / 1e6).toFixed(1)),
    idleProcessLongestStallMs: await idle.longestStallMs(),
    'orgs.list (ms)': { calls: times.length, p50: at(0.5), p99: at(0.99), max: at(1) },
  };
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

  const idle = await fastCallsUntil(new Promise((resolve) => setTimeout(resolve, 3000)), hostCall);
  const timedSlow = async (run: () => Promise<unknown>) => {
    const at = performance.now();
    const outcome = await run().then(
      () => 'done',
      (error: Error) => error.message.slice(0, 120),
    );
    return { outcome, ms: Math.round(performance.now() - at) };
  };
  const slow = Promise.all([
    // A month no call has asked for: computed from the rollups, not from a kept report.
    timedSlow(() => hostCall('billing.margins', { month: '2026-09' })),
    timedSlow(() =>
      hostCall('prices.set', { model: task.model, input: '0.30', output: '1.20', from: '2026-02-10' }),
    ),
    timedSlow(() => hostCall('knowledge.importFile', { orgId: task.orgId, uploadId })),
  ]);
  const busy = await fastCallsUntil(slow, hostCall);
  const [margins, repricing, extraction] = await slow;
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
    }),
  );
} finally {
  await host.close();
}

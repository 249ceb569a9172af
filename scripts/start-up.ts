// Measures how long the built CLI takes to start (`npm run build` first): `orgdeck serve` from its
// start to its "listening" line, on a new store and on the demo install, and a short CLI command
// (`org list`) from start to exit. Prints the median and worst of RUNS runs of each, and the load
// average, the figures' context on a shared machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startConsole } from '../test/e2e/console-server';
import { seedDemo } from '../test/e2e/demo-seed';
import { loadAverageText, medianOf } from './measure';

const RUNS = Number(process.env.RUNS ?? 7);
const CLI = resolve(import.meta.dirname, '../bin/orgdeck.mjs');

async function timesOf(run: () => Promise<void> | void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

/** From spawning `orgdeck serve` over a copy of nothing (a new store each run) or of `dataDir`, to its address. */
async function serveListening(dataDir?: string): Promise<void> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'orgdeck-start-up-'));
  try {
    const server = await startConsole(dir);
    await server.stop();
  } finally {
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
  }
}

const demo = mkdtempSync(join(tmpdir(), 'orgdeck-start-up-demo-'));
try {
  seedDemo(demo);
  console.log(`load average before: ${loadAverageText()}`);
  const rows: [string, number[]][] = [
    ['serve, new store', await timesOf(() => serveListening())],
    ['serve, demo store', await timesOf(() => serveListening(demo))],
    [
      'org list, demo store',
      await timesOf(() => {
        const run = spawnSync(process.execPath, [CLI, 'org', 'list', '--data-dir', demo], {
          encoding: 'utf8',
        });
        if (run.status !== 0) throw new Error(`orgdeck org list exited ${run.status}: ${run.stderr}`);
      }),
    ],
  ];
  console.log(`${'what'.padEnd(22)} ${'median ms'.padStart(10)} ${'worst ms'.padStart(10)}`);
  for (const [what, times] of rows)
    console.log(
      `${what.padEnd(22)} ${medianOf(times).toFixed(0).padStart(10)} ${Math.max(...times)
        .toFixed(0)
        .padStart(10)}`,
    );
  console.log(`load average after: ${loadAverageText()}`);
} finally {
  rmSync(demo, { recursive: true, force: true });
}

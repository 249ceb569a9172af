// `npm run bench`: speed figures at the channel level, printed as JSON. Not part of `npm test`.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../electron/backend/backend';
import { silentLogger } from '../electron/backend/logger';
import { LOCAL_OWNER } from '../electron/backend/services/principal';

const ORGS = 2_000;
const RUNS = 200;

function percentile(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(3));
}

async function timeRuns(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'orgdeck-bench-'));
const backend = openBackend({ dataDir, logger: silentLogger });
const owner = { token: null, setToken: () => {}, principal: LOCAL_OWNER };
try {
  const createStart = performance.now();
  for (let i = 0; i < ORGS; i++) {
    const envelope = await backend.router.call('orgs.create', { name: `Client ${i}`, rate: '40.00' }, owner);
    if (!envelope.ok) throw new Error(envelope.error.message);
  }
  const createSeconds = (performance.now() - createStart) / 1000;
  const list = await timeRuns(() => backend.router.call('orgs.list', {}, owner));
  const search = await timeRuns(() => backend.router.call('orgs.list', { search: 'ent 19' }, owner));
  const invalid = await timeRuns(() => backend.router.call('orgs.create', { name: '' }, owner));
  console.log(
    JSON.stringify(
      {
        machine: { cpus: cpus().length, node: process.version },
        orgs: ORGS,
        'orgs.create per second': Math.round(ORGS / createSeconds),
        'orgs.list all (ms)': list,
        'orgs.list search (ms)': search,
        'orgs.create rejected by validation (ms)': invalid,
      },
      null,
      2,
    ),
  );
} finally {
  backend.close();
  rmSync(dataDir, { recursive: true, force: true });
}

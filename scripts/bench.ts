// `npm run bench`: speed figures at the channel level, printed as JSON. Not part of `npm test`.
// `npm run bench -- knowledge` runs the knowledge section alone (its orgs, documents and searches);
// `npm run bench -- billing` the agents, usage import and billing reports alone; `npm run bench -- host`
// the billing setup, then fast calls through the backend host while slow ones run.
// BENCH_ROWS scales the usage import (default 10,000,000 rows); BENCH_DOCS the documents (100,000).
// `npm run bench -- billing --database URL` imports the usage files into that (empty) PostgreSQL
// database instead of SQLite, and skips the reports; `--database throwaway` starts a cluster of its
// own for it (see docs/postgres.md).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { openBackend } from '../electron/backend/backend';
import { silentLogger } from '../electron/backend/logger';
import type { CallSession } from '../electron/backend/router/handler';
import { LOCAL_OWNER } from '../electron/backend/services/principal';
import { sqliteOf } from '../electron/backend/store/store';
import type { ChannelName, ChannelOutput } from '../shared/contract';
import type { HostBenchTask } from './bench-host';
import { type BenchDatabase, openBenchDatabase } from './bench-postgres';
import { measureStalls } from './event-loop-stall';
import { loadAverage } from './measure';

const ORGS = 500;
const AGENTS = 10_000;
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const MONTHS = 12;
const RUNS = 30;
const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const WORDS = [
  'refund',
  'invoice',
  'escalation',
  'password',
  'onboarding',
  'latency',
  'outage',
  'billing',
  'contract',
  'renewal',
  'security',
  'backup',
  'migration',
  'training',
  'holiday',
  'shipping',
  'warranty',
  'privacy',
  'compliance',
  'roadmap',
];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'claude-haiku', 'llama-3-70b'];

// mulberry32: a seeded generator, so every run builds the same MSP.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;

const SECTIONS = ['billing', 'knowledge', 'host'] as const;
const only = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
  console.error(`No bench section "${only}": run them all, or one of ${SECTIONS.join(', ')}.`);
  process.exit(2);
}
const databaseFlag = process.argv.indexOf('--database');
const databaseUrl = databaseFlag === -1 ? undefined : process.argv[databaseFlag + 1];
if (databaseFlag !== -1 && (only !== 'billing' || databaseUrl === undefined)) {
  console.error(
    '--database URL (or throwaway) goes with the billing section: npm run bench -- billing --database URL',
  );
  process.exit(2);
}

const owner: CallSession = { token: null, setToken: () => {}, principal: LOCAL_OWNER };
const dir = mkdtempSync(join(tmpdir(), 'orgdeck-bench-'));
// Built inside the project (out/ is not committed) so the workers resolve better-sqlite3 from its node_modules.
const bundle = (entry: string, outfile: string) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3', 'unpdf', 'html-to-text', 'keytar'],
    banner: {
      js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    },
    logLevel: 'warning',
  });
const workerFile = join(import.meta.dirname, '../out/bench/usage-import-worker.mjs');
const hostWorkerFile = join(import.meta.dirname, '../out/bench/backend-host-worker.mjs');
const extractWorkerFile = join(import.meta.dirname, '../out/bench/knowledge-extract-worker.mjs');
const hostBenchFile = join(import.meta.dirname, '../out/bench/bench-host.mjs');
if (only !== 'knowledge') await bundle('electron/backend/usage/import-worker.ts', workerFile);
if (only === undefined || only === 'host') {
  await bundle('electron/backend/host/host-worker.ts', hostWorkerFile);
  // The host's own copy: bundled, it cannot find the extraction worker's source beside it.
  await bundle('electron/backend/knowledge/extract-worker.ts', extractWorkerFile);
  await bundle('scripts/bench-host.ts', hostBenchFile);
}
const backend = openBackend({
  dataDir: join(dir, 'data'),
  logger: silentLogger,
  importWorker: only === 'knowledge' ? undefined : workerFile,
});

let backendOpen = true;
/** The in-process backend closes before the host opens the same store, and once only. */
function closeBackend(): void {
  if (backendOpen) backend.close();
  backendOpen = false;
}

async function call<N extends ChannelName>(name: N, input: unknown): Promise<ChannelOutput<N>> {
  const envelope = await backend.router.call(name, input, owner);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.data as ChannelOutput<N>;
}

async function timed(run: () => Promise<unknown>, runs = RUNS) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    Number((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(2));
  return { p50: at(0.5), p95: at(0.95) };
}

async function createOrgs(): Promise<string[]> {
  const orgIds: string[] = [];
  for (let i = 0; i < ORGS; i++) {
    const org = await call('orgs.create', {
      name: `Client ${i}`,
      rate: `${20 + (i % 40)}.00`,
      billingMode: i % 10 === 0 ? 'full_month' : 'prorated',
    });
    orgIds.push(org.id);
    // A third rebill usage, with a model's markup changing mid-month: reports take the fee's path.
    if (i % 3 === 0) {
      await call('orgs.update', {
        id: org.id,
        usageMarkup: '20',
        includedUsage: '10.00',
        from: '2025-12-01',
      });
      await call('orgs.setModelMarkup', { id: org.id, model: 'gpt-4o', pct: '35', from: '2026-10-15' });
    }
  }
  return orgIds;
}

/**
 * Agents moving between `orgIds`, prices, and a usage file imported in the worker while reads go on;
 * with `postgres`, imported into PostgreSQL instead (the orgs, agents and prices copied there first).
 */
async function billingSetup(orgIds: string[], setupStart: number, postgres?: BenchDatabase) {
  const now = Date.UTC(2026, 10, 20);
  const first = Date.UTC(2025, 11, 1);
  const handles: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const handle = `agent-${i}`;
    const agent = await call('agents.create', {
      name: `Agent ${i}`,
      handle,
      model: pick(MODELS),
      email: `agent-${i}@example.com`,
      ...(i % 7 === 0 ? { rate: '55.00' } : {}),
    });
    handles.push(handle);
    const start = first + Math.floor(random() * 60) * 86_400_000;
    await call('agents.assign', {
      agentIds: [agent.id],
      orgId: pick(orgIds),
      at: new Date(start).toISOString(),
    });
    if (random() < 0.3) {
      const moveAt = start + Math.floor(random() * 200 + 1) * 86_400_000;
      await call('agents.assign', {
        agentIds: [agent.id],
        orgId: pick(orgIds),
        at: new Date(moveAt).toISOString(),
        move: true,
      });
    }
  }
  for (const model of MODELS.slice(0, 4)) {
    await call('prices.set', { model, input: '2.50', output: '10.00', from: '2025-01-01' });
    // From June, every category and a long-context band: the import decides each row's band.
    await call('prices.set', {
      model,
      input: '2.00',
      output: '8.00',
      rates: [
        { category: 'cache_read', price: '0.20' },
        { category: 'cache_write', price: '2.50' },
        { category: 'cache_write_1h', price: '4.00' },
        { category: 'reasoning', price: '8.00' },
        { category: 'input', tier: 'batch', price: '1.00' },
        { category: 'input', above: 200_000, price: '4.00' },
        { category: 'output', above: 200_000, price: '12.00' },
      ],
      from: '2026-06-01',
    });
  }
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const span = now - first;
  // An agent runs in one tier (half of them standard), as real traffic does; prompts stay below the
  // 200,000-token band (cache reads up to 150,000) except the 2 % of rows that say long_context.
  const TIER_NAMES = ['', '', '', 'batch', 'flex', 'priority'];

  /** ROWS rows of our usage format: the two original counts, or every column. */
  async function usageFile(name: string, allColumns: boolean): Promise<string> {
    const file = join(dir, name);
    const out = createWriteStream(file);
    out.write(
      allColumns
        ? 'timestamp,agent,model,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cache_write_1h_tokens,reasoning_tokens,service_tier,requests,long_context,id\n'
        : 'timestamp,agent,model,input_tokens,output_tokens,id\n',
    );
    let buffer = '';
    for (let i = 0; i < ROWS; i++) {
      const agent = Math.floor(random() * AGENTS);
      const handle = handles[agent] as string;
      const at = new Date(first + Math.floor(random() * span)).toISOString();
      const output = Math.floor(random() * 4_000);
      const id = i % 2 === 0 ? `${name}-${i}` : '';
      buffer += allColumns
        ? `${at},${handle},${MODELS[i % MODELS.length]},${Math.floor(random() * 20_000)},${output},${Math.floor(random() * 150_000)},${Math.floor(random() * 5_000)},${i % 5 === 0 ? Math.floor(random() * 5_000) : 0},${Math.floor(random() * output)},${TIER_NAMES[agent % TIER_NAMES.length]},${1 + (i % 3)},${i % 50 === 0 ? 'true' : ''},${id}\n`
        : `${at},${handle},${MODELS[i % MODELS.length]},${Math.floor(random() * 20_000)},${output},${id}\n`;
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        buffer = '';
      }
    }
    out.end(buffer);
    await new Promise<void>((resolve) => out.once('finish', () => resolve()));
    return file;
  }

  async function timedImport(file: string) {
    const stalls = measureStalls();
    const importStart = performance.now();
    const started = await backend.services.usage.importFile(LOCAL_OWNER, file);
    // Keep the main thread doing what a console does while an import runs: answer reads.
    let reads = 0;
    let rss = 0;
    const poll = setInterval(() => {
      backend.services.usage.job(started.job.id);
      reads++;
      rss = Math.max(rss, process.memoryUsage.rss());
    }, 50);
    const job = await started.finished;
    clearInterval(poll);
    const importSeconds = (performance.now() - importStart) / 1000;
    const longestStallMs = stalls.longestMs();
    return {
      status: job.status,
      error: job.error,
      imported: job.imported,
      bad: job.bad,
      seconds: Number(importSeconds.toFixed(1)),
      rowsPerSecond: Math.round(ROWS / importSeconds),
      mainThreadLongestStallMs: longestStallMs,
      progressReadsDuringImport: reads,
      peakRssDuringImportMiB: Math.round(rss / 2 ** 20),
    };
  }

  const importFile = postgres
    ? async (file: string) => postgres.timedImport(file, ROWS, workerFile)
    : timedImport;
  await postgres?.copyPlacing(sqliteOf(backend.store));
  // One file at a time, so the two never share the disk cache: the all-column file goes second,
  // into rollups the first already filled.
  const twoColumns = await importFile(await usageFile('usage-two-columns.csv', false));
  const allColumns = await importFile(await usageFile('usage-all-columns.csv', true));
  return {
    scale: { orgs: ORGS, agents: AGENTS, usageRows: ROWS, months: MONTHS },
    setupSeconds: Number(setupSeconds.toFixed(1)),
    import: { 'two columns': twoColumns, 'all columns': allColumns },
  };
}

/** How long one call takes the first time, before any report is kept. */
async function once(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return Number((performance.now() - start).toFixed(2));
}

async function billingReads() {
  const lastMonth = '2026-11';
  const someAgent = await call('agents.get', { handle: 'agent-7' });
  return {
    // Reports are kept until the billing revision moves: the first call computes, later ones reuse.
    'first call after the import (ms)': {
      'billing.margins all orgs': await once(() => call('billing.margins', { month: '2026-10' })),
      'billing.trend 12 months': await once(() => call('billing.trend', { month: lastMonth })),
    },
    'agents.list first page (ms)': await timed(() => call('agents.list', {})),
    'agents.list search (ms)': await timed(() => call('agents.list', { search: 'agent-99' })),
    'billing.margins all orgs (ms)': await timed(() => call('billing.margins', { month: '2026-10' })),
    'billing.agent drill-down (ms)': await timed(() =>
      call('billing.agent', { month: '2026-10', agentId: someAgent.id }),
    ),
    'billing.trend 12 months (ms)': await timed(() => call('billing.trend', { month: lastMonth })),
    // A price from mid-March re-buckets that model's usage from March to its next price (June).
    'prices.set mid-history (ms)': await once(() =>
      call('prices.set', { model: MODELS[0], input: '2.40', output: '9.60', from: '2026-03-15' }),
    ),
    'billing.margins after a price change (ms)': await once(() =>
      call('billing.margins', { month: '2026-04' }),
    ),
  };
}

/** DOCS documents of 60 common words each, spread evenly over `orgIds`; returns the seconds it took. */
async function addDocuments(orgIds: string[]): Promise<number> {
  const docsStart = performance.now();
  for (let i = 0; i < DOCS; i++) {
    const words = Array.from({ length: 60 }, () => pick(WORDS)).join(' ');
    await call('knowledge.add', {
      orgId: orgIds[i % ORGS],
      title: `${pick(WORDS)} guide ${i}`,
      body: `${words} doc${i}`,
    });
  }
  return (performance.now() - docsStart) / 1000;
}

async function knowledgeFigures(orgIds: string[], addSeconds: number) {
  const searchOrg = orgIds[7] as string;
  return {
    knowledge: { documents: DOCS, orgs: ORGS, addSeconds: Number(addSeconds.toFixed(1)) },
    'knowledge.search common word (ms)': await timed(() =>
      call('knowledge.search', { orgId: searchOrg, query: pick(WORDS) }),
    ),
    'knowledge.search two words (ms)': await timed(() =>
      call('knowledge.search', { orgId: searchOrg, query: `${pick(WORDS)} ${pick(WORDS)}` }),
    ),
  };
}

async function everySection(orgIds: string[], setupStart: number) {
  const setup = await billingSetup(orgIds, setupStart);
  // Documents go in before any read is timed, so every read runs against the full store.
  const addSeconds = await addDocuments(orgIds);
  return { ...setup, ...(await billingReads()), ...(await knowledgeFigures(orgIds, addSeconds)) };
}

/**
 * Through the backend host, as the desktop and `orgdeck serve` call it: orgs.list every 10 ms while
 * a cold margins report, a re-pricing and an HTML extraction run, then while an org archive is
 * imported, a backup is made and a usage import is undone. The forwarding side runs in a
 * fresh process, as the desktop's main process does (scripts/bench-host.ts).
 */
async function hostFigures(orgIds: string[]) {
  closeBackend();
  // The in-process import's heap stays with this process: the host's process starts without it.
  const task: HostBenchTask = {
    dataDir: join(dir, 'data'),
    hostWorker: hostWorkerFile,
    importWorker: workerFile,
    extractWorker: extractWorkerFile,
    orgId: orgIds[0] as string,
    model: MODELS[1] as string,
    archivedOrgId: orgIds[1] as string,
  };
  // --expose-gc: the host bench collects its own garbage between phases (fastCallsUntil).
  const run = spawnSync(process.execPath, ['--expose-gc', hostBenchFile, JSON.stringify(task)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`The host bench stopped (exit code ${run.status}).`);
  return { 'backend host': { load: loadAverage(), ...JSON.parse(run.stdout) } };
}

const databaseMiB = () =>
  Number(
    (
      ['orgdeck.db', 'orgdeck.db-wal']
        .map((name) => {
          try {
            return statSync(join(dir, 'data', name)).size;
          } catch {
            return 0;
          }
        })
        .reduce((a, b) => a + b, 0) /
      2 ** 20
    ).toFixed(1),
  );

const TARGETS = {
  importRowsPerSecond: 250_000,
  postgresImportRowsPerSecond: 150_000,
  hostMainThreadStallMs: 16,
  hostFastCallP99Ms: 100,
  stallMs: 50,
  marginsMs: 50,
  drillDownMs: 20,
  trendMs: 50,
  agentsListMs: 100,
  knowledgeSearchP50Ms: 30,
};

const postgres = databaseUrl === undefined ? undefined : await openBenchDatabase(databaseUrl);
try {
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const setupStart = performance.now();
  const orgIds = await createOrgs();
  const figures =
    only === 'knowledge'
      ? await knowledgeFigures(orgIds, await addDocuments(orgIds))
      : only === 'billing' && postgres
        ? await billingSetup(orgIds, setupStart, postgres)
        : only === 'billing'
          ? { ...(await billingSetup(orgIds, setupStart)), ...(await billingReads()) }
          : only === 'host'
            ? { ...(await billingSetup(orgIds, setupStart)), ...(await hostFigures(orgIds)) }
            : { ...(await everySection(orgIds, setupStart)), ...(await hostFigures(orgIds)) };
  const results = {
    machine,
    ...figures,
    databaseMiB: databaseMiB(),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    targets: only === 'knowledge' ? { knowledgeSearchP50Ms: TARGETS.knowledgeSearchP50Ms } : TARGETS,
  };
  console.log(JSON.stringify(results, null, 2));
} finally {
  closeBackend();
  await postgres?.close();
  rmSync(dir, { recursive: true, force: true });
}

import { type ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import { checkBackupFile } from '../../electron/backend/store/maintenance';
import type { MarginsReport } from '../../shared/contract/billing';
import { OWNER } from '../fixtures/backend';
import { buildCli } from '../fixtures/built-cli';
import { runCliIn } from '../fixtures/cli';

// The CLI runs as users run it: bundled, in its own process, imports in the worker thread. A
// SIGKILL gives it no chance to clean up, as a power cut or the OOM killer would not.
let cliDir: string;
let work: string;
let template: string;
let usageFile: string;

const ROWS = 400_000;
const AGENTS = ['ann', 'bob', 'cat', 'dan', 'ghost'];
/** Every fifth row names an agent nobody registered ("ghost"): counted bad, not imported. */
const IMPORTABLE = ROWS - ROWS / AGENTS.length;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function start(dataDir: string, args: string[]): ChildProcess & { output: { out: string; err: string } } {
  const child = spawn(process.execPath, [join(cliDir, 'orgdeck.mjs'), ...args, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { out: '', err: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.err += chunk.toString();
  });
  return Object.assign(child, { output });
}

function finished(child: ReturnType<typeof start>): Promise<Run> {
  return new Promise((resolve) => {
    const done = () => resolve({ code: child.exitCode, signal: child.signalCode, ...child.output });
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', done);
  });
}

const orgdeck = (dataDir: string, ...args: string[]) => finished(start(dataDir, args));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A data directory holding a copy of the prepared store. */
function copyOfTemplate(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  copyFileSync(join(template, DATABASE_FILE), join(dir, DATABASE_FILE));
  return dir;
}

function openStore(dataDir: string) {
  return new Database(join(dataDir, DATABASE_FILE));
}

/** Every usage sum (by names: stores number them in their own order) and the seen-rows count. */
function usageTotals(dataDir: string) {
  const db = openStore(dataDir);
  const name = (column: string) => `(SELECT name FROM usage_refs WHERE id = ${column})`;
  try {
    return {
      monthly: db
        .prepare(
          `SELECT month, ${name('org')} AS org, ${name('agent')} AS agent, ${name('model')} AS model, price,
             input_tokens, output_tokens, records FROM usage_months ORDER BY 1, 2, 3, 4, 5`,
        )
        .all(),
      // Each import batch appends its own daily rows: compare their sums.
      daily: db
        .prepare(
          `SELECT ${name('model')} AS model, day, ${name('agent')} AS agent, ${name('org')} AS org,
             sum(input_tokens), sum(output_tokens), sum(records) FROM usage_days GROUP BY model, day, agent, org
           ORDER BY 1, 2, 3, 4`,
        )
        .all(),
      seen: db.prepare('SELECT count(*) AS n FROM usage_seen').get(),
    };
  } finally {
    db.close();
  }
}

async function margins(dataDir: string, month: string): Promise<MarginsReport> {
  const run = await orgdeck(dataDir, 'report', 'margins', '--month', month, '--format', 'json');
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as MarginsReport;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'orgdeck-crash-'));
  cliDir = buildCli('crash-cli');

  // Two orgs with two agents each from January, a priced and an unpriced model.
  template = join(work, 'template');
  const cli = async (...args: string[]) => {
    const result = await runCliIn(template, args, OWNER.password);
    expect(result.code, result.err).toBe(0);
    return result.out;
  };
  await cli('init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin');
  const orgs = [
    JSON.parse(await cli('org', 'create', '--name', 'Acme', '--rate', '30.00', '--json')) as { id: string },
    JSON.parse(await cli('org', 'create', '--name', 'Globex', '--rate', '45.00', '--json')) as { id: string },
  ];
  for (const [i, handle] of AGENTS.slice(0, 4).entries()) {
    const agent = JSON.parse(
      await cli('agent', 'create', '--name', handle, '--handle', handle, '--json'),
    ) as {
      id: string;
    };
    const input = { agentIds: [agent.id], orgId: orgs[i % 2]?.id, at: '2026-01-01T00:00:00Z' };
    await cli('call', 'agents.assign', '--input', JSON.stringify(input));
  }
  await cli('price', 'set', 'gpt-a', '--input', '1.00', '--output', '2.00', '--from', '2026-01-01');
  await cli('price', 'set', 'gpt-b', '--input', '0.50', '--output', '1.50', '--from', '2026-02-15');

  // Two months of usage; a quarter of the rows carry their own id, the rest are keyed by content.
  const lines = ['timestamp,agent,model,input_tokens,output_tokens,id'];
  const from = Date.parse('2026-02-01T00:00:00Z');
  const span = 59 * 86_400_000;
  for (let i = 0; i < ROWS; i++) {
    const at = new Date(from + Math.floor((i * span) / ROWS)).toISOString();
    const model = ['gpt-a', 'gpt-b', 'unpriced'][i % 3];
    lines.push(
      `${at},${AGENTS[i % 5]},${model},${(i * 7919) % 100_000},${(i * 104_729) % 20_000},${i % 4 ? '' : `r-${i}`}`,
    );
  }
  usageFile = join(work, 'usage.csv');
  writeFileSync(usageFile, `${lines.join('\n')}\n`);
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(cliDir, { recursive: true, force: true });
});

describe('killed with SIGKILL', () => {
  it('during a usage import: nothing committed is lost, and importing again gives the uninterrupted totals', async () => {
    const control = copyOfTemplate('control');
    const crashed = copyOfTemplate('crashed');
    const uninterrupted = await orgdeck(control, 'usage', 'import', usageFile, '--json');
    expect(uninterrupted.code, uninterrupted.err).toBe(0);
    expect(JSON.parse(uninterrupted.out)).toMatchObject({ status: 'done', imported: IMPORTABLE, skipped: 0 });

    // The CLI prints progress as batches commit; kill it once a few have.
    const child = start(crashed, ['usage', 'import', usageFile]);
    const shown = await until('import progress past 30 %', () => {
      const lines = [...child.output.err.matchAll(/\] (\d+)% {2}\d+ rows, (\d+) imported/g)];
      const last = lines.at(-1);
      return last && Number(last[1]) >= 30 ? Number(last[2]) : undefined;
    });
    child.kill('SIGKILL');
    const killed = await finished(child);
    expect(killed.signal).toBe('SIGKILL');

    const db = openStore(crashed);
    const committed = (() => {
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const job = db.prepare('SELECT status, imported FROM import_jobs').get() as {
          status: string;
          imported: number;
        };
        // Cut off mid-way, with at least what it had reported as done.
        expect(job.status).toBe('running');
        expect(job.imported).toBeGreaterThanOrEqual(shown);
        expect(job.imported).toBeLessThan(IMPORTABLE);
        // The job's count and the sums were committed together: no batch half there.
        const sums = db.prepare('SELECT sum(records) AS n FROM usage_months').get() as { n: number };
        const seen = db.prepare('SELECT count(*) AS n FROM usage_seen').get() as { n: number };
        expect(sums.n).toBe(job.imported);
        expect(seen.n).toBe(job.imported);
        return job.imported;
      } finally {
        db.close();
      }
    })();

    const again = await orgdeck(crashed, 'usage', 'import', usageFile, '--json');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      status: 'done',
      imported: IMPORTABLE - committed,
      skipped: committed,
    });
    for (const month of ['2026-02', '2026-03'])
      expect(await margins(crashed, month)).toEqual(await margins(control, month));
    const totals = usageTotals(crashed);
    expect(totals).toEqual(usageTotals(control));
    expect(totals.seen).toEqual({ n: IMPORTABLE });

    // The killed job is marked as cut off, not left running for ever.
    const after = openStore(crashed);
    const statuses = after.prepare('SELECT status FROM import_jobs ORDER BY started_at').all();
    after.close();
    expect(statuses).toEqual([{ status: 'interrupted' }, { status: 'done' }]);
  }, 60_000);

  it('during a usage undo: every write left the sums equal to their days, and the next start finishes it', async () => {
    const control = copyOfTemplate('undo-control');
    const crashed = copyOfTemplate('undo-crashed');
    const imported = await orgdeck(control, 'usage', 'import', usageFile, '--json');
    expect(imported.code, imported.err).toBe(0);
    const first = await orgdeck(crashed, 'usage', 'import', usageFile, '--json');
    expect(first.code, first.err).toBe(0);
    const { id: jobId } = JSON.parse(first.out) as { id: string };

    const child = start(crashed, ['usage', 'undo', jobId]);
    const watch = new Database(join(crashed, DATABASE_FILE), { readonly: true });
    const undoing = watch.prepare('SELECT count(*) FROM usage_undos').pluck();
    await until('the undo to begin', () => ((undoing.get() as number) > 0 ? true : undefined));
    watch.close();
    child.kill('SIGKILL');
    const killed = await finished(child);
    expect(killed.signal, `the undo ended before the kill: ${killed.out}`).toBe('SIGKILL');

    const db = openStore(crashed);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Cut off mid-way: still recorded as being undone, not yet as undone.
      expect(db.prepare('SELECT count(*) FROM usage_undos').pluck().get()).toBe(1);
      expect(db.prepare('SELECT undone_at FROM import_jobs').pluck().get()).toBeNull();
      // Whatever was committed, the monthly sums are the sums of the daily rows left.
      const byMonth = (table: string, keys: string) =>
        db
          .prepare(
            `SELECT month, ${keys}, sum(input_tokens) AS input, sum(output_tokens) AS output, sum(records) AS records
             FROM ${table} GROUP BY month, ${keys} HAVING sum(records) <> 0 ORDER BY month, ${keys}`,
          )
          .all();
      const daysByMonth = (keys: string) =>
        db
          .prepare(
            `SELECT CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER) AS month, ${keys},
               sum(input_tokens) AS input, sum(output_tokens) AS output, sum(records) AS records
             FROM usage_days GROUP BY 1, ${keys} ORDER BY 1, ${keys}`,
          )
          .all();
      expect(byMonth('usage_months', 'org, agent, model')).toEqual(daysByMonth('org, agent, model'));
      expect(byMonth('usage_org_months', 'org, model')).toEqual(daysByMonth('org, model'));
    } finally {
      db.close();
    }

    // The next start finishes the undo before answering: no usage is left, nor any seen-row key.
    for (const month of ['2026-02', '2026-03'])
      expect((await margins(crashed, month)).totals.cost).toBe('0.000000');
    const after = openStore(crashed);
    const job = after.prepare('SELECT undone_at FROM import_jobs').pluck().get();
    const audit = after
      .prepare("SELECT summary FROM audit_events WHERE action = 'usage.undone'")
      .pluck()
      .all() as string[];
    after.close();
    expect(job).not.toBeNull();
    expect(audit.map((summary) => JSON.parse(summary))).toEqual([
      { before: { file: 'usage.csv', imported: IMPORTABLE }, after: { removed: IMPORTABLE } },
    ]);
    expect(usageTotals(crashed)).toEqual({ monthly: [], daily: [], seen: { n: 0 } });

    // Importing the file again counts every row again, as the uninterrupted import did.
    const again = await orgdeck(crashed, 'usage', 'import', usageFile, '--json');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ status: 'done', imported: IMPORTABLE, skipped: 0 });
    for (const month of ['2026-02', '2026-03'])
      expect(await margins(crashed, month)).toEqual(await margins(control, month));
    expect(usageTotals(crashed)).toEqual(usageTotals(control));
  }, 90_000);

  it('during a backup: the store is intact and nothing at --out looks like a backup', async () => {
    const dataDir = copyOfTemplate('big');
    // Bulk, so that copying the store takes long enough to be cut off in the middle.
    const db = openStore(dataDir);
    db.exec(`CREATE TABLE bulk (b BLOB) STRICT;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
      INSERT INTO bulk SELECT randomblob(4000) FROM n;`);
    db.close();
    const out = join(work, 'big-backup.db');

    const child = start(dataDir, ['backup', '--out', out]);
    // Whatever name it writes to, once it has written something.
    const writing = await until('the backup to start writing', () =>
      readdirSync(work).find(
        (name) => name.startsWith('big-backup.db') && statSync(join(work, name)).size > 0,
      ),
    );
    child.kill('SIGKILL');
    const killed = await finished(child);
    expect(killed.signal, `the backup ended before the kill: ${killed.out}`).toBe('SIGKILL');

    expect(existsSync(out)).toBe(false);
    expect(writing).toMatch(/^big-backup\.db\.partial-\d+(-journal)?$/);
    const source = openStore(dataDir);
    expect(source.pragma('integrity_check', { simple: true })).toBe('ok');
    const created = () =>
      source.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'backup.created'").get();
    expect(created()).toEqual({ n: 0 });

    // The same command again makes a whole backup at --out.
    const again = await orgdeck(dataDir, 'backup', '--out', out);
    expect(again.code, again.err).toBe(0);
    // Whole and intact; only the test's own bulk table is foreign to Orgdeck's schema (a restore refuses it).
    expect(checkBackupFile(out).filter((check) => !check.ok)).toEqual([
      expect.objectContaining({ name: 'schema objects', detail: 'unexpected table bulk' }),
    ]);
    const copy = new Database(out, { readonly: true });
    const count = (db: Database.Database, table: string) =>
      db.prepare(`SELECT count(*) AS n FROM ${table}`).get();
    for (const table of ['bulk', 'orgs', 'agents', 'usage_months'])
      expect(count(copy, table), table).toEqual(count(source, table));
    copy.close();
    expect(created()).toEqual({ n: 1 });
    source.close();
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/backend';
import { THIS_PROCESS } from '../../electron/backend/import-job-owner';
import { LOCAL_OWNER } from '../../electron/backend/services/principal';
import type { ChannelOutput } from '../../shared/contract';
import { asEveryOrg, onPostgresProject } from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  importDirectly,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
  type UsageRecord,
  usageRecord,
} from '../fixtures/billing';

const CLOCK = '2026-04-10T00:00:00Z';

/** A day of an OpenAI usage export, for the API key key_a. */
const OPENAI_PAGE = {
  object: 'page',
  data: [
    {
      object: 'bucket',
      start_time: 1790812800,
      end_time: 1790899200,
      results: [
        {
          input_tokens: 900,
          input_cached_tokens: 600,
          output_tokens: 50,
          num_model_requests: 3,
          api_key_id: 'key_a',
          model: 'gpt-test',
        },
      ],
    },
  ],
};

/** One org with two agents and a price, so imported usage shows up with a cost. */
async function setUp(world: BillingWorld) {
  const org = await createOrg(world, 'Importco', '30.00');
  for (const handle of ['ann', 'bob']) {
    const agent = await createAgent(world, handle);
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
  }
  await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
  await setPrice(world, 'gpt,odd', '3.00', '0.00', '2026-01-01');
  return org;
}

describe('usage import, inline', () => {
  let world: BillingWorld;
  let orgId: string;

  beforeEach(async () => {
    world = openBillingWorld(CLOCK);
    orgId = (await setUp(world)).id;
  });

  afterEach(() => world.cleanup());

  it('reads CSV with quoted fields, any column order, CRLF and a byte-order mark', async () => {
    const content = [
      '\uFEFF"model","Agent",timestamp,input_tokens,output_tokens,note,id',
      '"gpt,odd",ann,2026-03-01T00:00:00Z,1000,0,"says ""hi"", twice","r-""1"""',
      'gpt-test,"bob",2026-03-02T00:00:00Z," 2000 ",500,,',
      '',
    ].join('\r\n');
    const job = await world.importText('quoted.csv', content);
    expect(job).toMatchObject({ status: 'done', rowsRead: 2, imported: 2, bad: 0, badRows: [] });
    const report = await margins(world, '2026-03');
    // 1000 × $3/M = 0.003; 2000 × $1/M + 500 × $2/M = 0.003
    expect([...report.cost_by_model].sort((a, b) => (a.model < b.model ? -1 : 1))).toMatchObject([
      { model: 'gpt,odd', cost: '0.003000', priced: true, input_tokens: 1000, output_tokens: 0 },
      { model: 'gpt-test', cost: '0.003000', priced: true, input_tokens: 2000, output_tokens: 500 },
    ]);
    // The quoted id r-"1" is an id: the same id with other content is skipped.
    const again = await world.importText(
      'again.csv',
      'timestamp,agent,model,input_tokens,output_tokens,id\n2026-03-09T00:00:00Z,bob,gpt-test,7,7,"r-""1"""\n',
    );
    expect(again).toMatchObject({ imported: 0, skipped: 1 });
    // r-1 without the quotes is another id.
    const other = await world.importText(
      'other.csv',
      'timestamp,agent,model,input_tokens,output_tokens,id\n2026-03-09T00:00:00Z,bob,gpt-test,7,7,r-1\n',
    );
    expect(other).toMatchObject({ imported: 1, skipped: 0 });
  });

  it('reads JSON Lines, with token counts as numbers or digit strings', async () => {
    const content = [
      JSON.stringify({
        timestamp: '2026-03-01T10:00:00Z',
        agent: 'ann',
        model: 'gpt-test',
        input_tokens: 10,
        output_tokens: 20,
      }),
      '',
      JSON.stringify({
        timestamp: '2026-03-01T11:00:00+01:00',
        agent: 'bob',
        model: 'gpt-test',
        input_tokens: '30',
        output_tokens: '40',
        id: 7,
      }),
    ].join('\n');
    const job = await world.importText('usage.jsonl', content);
    expect(job).toMatchObject({ status: 'done', rowsRead: 2, imported: 2, bad: 0 });
    expect(orgIn(await margins(world, '2026-03'), orgId)).toMatchObject({
      input_tokens: 40,
      output_tokens: 60,
    });
  });

  it('refuses a file naming a count column Orgdeck does not read, which would otherwise cost nothing', async () => {
    const misspelled = await world.importText(
      'misspelled.csv',
      'timestamp,agent,model,input_tokens,output_tokens,cache_raed_tokens\n2026-03-01T00:00:00Z,ann,gpt-test,5,1,900\n',
    );
    expect(misspelled).toMatchObject({ status: 'failed', imported: 0 });
    expect(misspelled.error).toContain('cache_raed_tokens (did you mean cache_read_tokens?) is not a column');
    const unknown = await world.importText(
      'unknown.csv',
      'timestamp,agent,model,input_tokens,output_tokens,cached_tokens\n2026-03-01T00:00:00Z,ann,gpt-test,5,1,900\n',
    );
    expect(unknown).toMatchObject({ status: 'failed', imported: 0 });
    expect(unknown.error).toContain('cached_tokens is not a column Orgdeck reads');
    const twice = await world.importText(
      'twice.csv',
      'timestamp,agent,model,input_tokens,output_tokens,input_tokens\n2026-03-01T00:00:00Z,ann,gpt-test,5,1,7\n',
    );
    expect(twice.error).toContain('input_tokens is named twice');
    expect(orgIn(await margins(world, '2026-03'), orgId).input_tokens).toBe(0);
    // A JSON record names its own: that one record is refused, the others imported.
    const json = await world.importText(
      'records.jsonl',
      [
        usageRecord('2026-03-02T00:00:00Z', 'ann', 'gpt-test', 10, 0),
        { ...usageRecord('2026-03-02T00:00:00Z', 'ann', 'gpt-test', 20, 0), reasonig_tokens: 4 },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n'),
    );
    expect(json).toMatchObject({ status: 'done', imported: 1, bad: 1 });
    expect(json.badRows[0]?.reason).toContain('reasonig_tokens (did you mean reasoning_tokens?)');
  });

  it('reads a file with columns of its own beside ours (a user, a cost, a total), ignoring them', async () => {
    const job = await world.importText(
      'extra.csv',
      'timestamp,agent,model,input_tokens,output_tokens,user,cost_usd,total_tokens,ip,mode,requester,api_token,max_tokens,prompt_tokens,completion_tokens\n2026-03-01T00:00:00Z,ann,gpt-test,5,1,ann@example.com,0.01,6,10.0.0.1,chat,ops,sk-x,4096,5,1\n',
    );
    expect(job).toMatchObject({ status: 'done', imported: 1, bad: 0 });
    expect(orgIn(await margins(world, '2026-03'), orgId).input_tokens).toBe(5);
  });

  it('fails the job with a clear error when the CSV header lacks a column', async () => {
    const job = await world.importText(
      'short.csv',
      'timestamp,agent,model,input_tokens\n2026-03-01T00:00:00Z,ann,gpt-test,5\n',
    );
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/header lacks output_tokens/);
    expect(job.imported).toBe(0);
    expect(orgIn(await margins(world, '2026-03'), orgId).input_tokens).toBe(0);
    expect((await world.call('jobs.get', { id: job.id })).status).toBe('failed');
  });

  it('lists bad rows with their line numbers and reasons, and imports the good ones', async () => {
    const content = [
      'timestamp,agent,model,input_tokens,output_tokens', // 1
      '2026-03-01T00:00:00Z,ann,gpt-test,100,0', // 2: good
      '2026-03-01 00:00:00,ann,gpt-test,1,1', // 3: no zone
      '2026-03-01T00:00:00Z,ann,gpt-test,-5,1', // 4: negative
      '', // 5: blank, skipped
      '2026-03-01T00:00:00Z,ann,gpt-test', // 6: too few columns
      '2026-02-29T12:00:00Z,ann,gpt-test,1,1', // 7: no 29 February in 2026
      '2026-03-02T00:00:00Z,bob,gpt-test,200,0', // 8: good
      '2026-03-01T00:00:00Z,ann,,1,1', // 9: no model
      '2026-03-01T00:00:00Z,ann,gpt-test,1.5,1', // 10: not whole
      '2026-03-01T00:00:00Z,ghost,gpt-test,1,1', // 11: no such agent
    ].join('\n');
    const job = await world.importText('bad.csv', content);
    expect(job).toMatchObject({ status: 'done', rowsRead: 9, imported: 2, bad: 7 });
    expect(job.badRows.map((row) => row.line)).toEqual([3, 4, 6, 7, 9, 10, 11]);
    const reasons = Object.fromEntries(job.badRows.map((row) => [row.line, row.reason]));
    expect(reasons[3]).toMatch(/time zone/);
    expect(reasons[4]).toMatch(/input_tokens must be a whole number/);
    expect(reasons[6]).toMatch(/expected 5 columns, found 3/);
    expect(reasons[7]).toMatch(/not a real date/);
    expect(reasons[9]).toMatch(/model is missing/);
    expect(reasons[10]).toMatch(/input_tokens/);
    expect(reasons[11]).toMatch(/no agent with the handle "ghost"/);
    expect(orgIn(await margins(world, '2026-03'), orgId).input_tokens).toBe(300);
    expect(await margins(world, '2026-02')).toMatchObject({ cost_by_model: [] });
  });

  it('refuses rows it would otherwise read wrong: a cell too many, an open quote, a blank id, a year before 1970', async () => {
    const content = [
      'timestamp,agent,model,input_tokens,output_tokens,id', // 1
      '2026-03-01T00:00:00Z,ann,gpt-test,1,000,250,r-2', // 2: an unquoted "1,000": input 1, output 0 before
      '2026-03-01T00:00:00Z,ann,gpt-test,100,0,,', // 3: good, a trailing comma
      '2026-03-01T00:00:00Z,ann,"gpt-test,100,0,r-1', // 4: a quote left open
      '2026-03-01T00:00:00Z,ann,gpt-test,5,0,   ', // 5: blank id
      '2026-03-01T00:00:00Z,ann,gpt-test,5,0,   ', // 6: the same (all but one were skipped as seen before)
      '0099-03-01T00:00:00Z,ann,gpt-test,7,0,', // 7: read as 1999 before
    ].join('\n');
    const job = await world.importText('odd.csv', content);
    expect(job).toMatchObject({ status: 'done', rowsRead: 6, imported: 1, skipped: 0, bad: 5 });
    expect(Object.fromEntries(job.badRows.map((row) => [row.line, row.reason]))).toEqual({
      2: 'expected 6 columns, found 7',
      4: 'a quoted value is not closed on its line (line breaks inside quotes are not supported)',
      5: 'id is blank: leave it empty, or give the row an id of its own',
      6: 'id is blank: leave it empty, or give the row an id of its own',
      7: expect.stringMatching(/timestamp/),
    });
    expect(orgIn(await margins(world, '2026-03'), orgId).input_tokens).toBe(100);
  });

  it('reads a JSON Lines file that starts with a byte-order mark, its first record included', async () => {
    const records = [
      {
        timestamp: '2026-03-01T00:00:00Z',
        agent: 'ann',
        model: 'gpt-test',
        input_tokens: 10,
        output_tokens: 0,
      },
      {
        timestamp: '2026-03-02T00:00:00Z',
        agent: 'ann',
        model: 'gpt-test',
        input_tokens: 20,
        output_tokens: 0,
      },
      {
        timestamp: '2026-03-03T00:00:00Z',
        agent: 'ann',
        model: 'gpt-test',
        input_tokens: 30,
        output_tokens: 0,
        id: { x: 1 },
      },
    ];
    const job = await world.importText(
      'bom.jsonl',
      `\uFEFF${records.map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
    expect(job).toMatchObject({ status: 'done', rowsRead: 3, imported: 2, bad: 1 });
    expect(job.badRows).toEqual([{ line: 3, reason: 'id must be text or a number' }]);
    expect(orgIn(await margins(world, '2026-03'), orgId).input_tokens).toBe(30);
  });

  it('lists rows naming no agent in the order of their lines, whatever their days and models', async () => {
    const content = [
      'timestamp,agent,model,input_tokens,output_tokens', // 1
      '2026-03-09T00:00:00Z,ghost,gpt-test,1,1', // 2
      '2026-03-01T00:00:00Z,ann,gpt-test,100,0', // 3: good
      '2026-03-05T00:00:00Z,ghost,a-model,1,1', // 4
      '2026-03-01T00:00:00Z,phantom,gpt-test,1,1', // 5
    ].join('\n');
    const job = await world.importText('ghosts.csv', content);
    expect(job).toMatchObject({ status: 'done', imported: 1, bad: 3 });
    expect(job.badRows.map((row) => row.line)).toEqual([2, 4, 5]);
  });

  it('reports bad JSON lines by number too', async () => {
    const good = {
      timestamp: '2026-03-01T00:00:00Z',
      agent: 'ann',
      model: 'gpt-test',
      input_tokens: 1,
      output_tokens: 1,
    };
    const content = [
      JSON.stringify(good),
      '{"timestamp": "2026-03-01T00:00:00Z",',
      '[1, 2]',
      JSON.stringify({ ...good, agent: undefined }),
      JSON.stringify({ ...good, output_tokens: 1e21 }),
    ].join('\n');
    const job = await world.importText('bad.jsonl', content);
    expect(job).toMatchObject({ imported: 1, bad: 4 });
    expect(job.badRows).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'not a JSON object' },
      { line: 4, reason: expect.stringMatching(/agent/) },
      { line: 5, reason: expect.stringMatching(/output_tokens/) },
    ]);
  });

  it('reports progress up to the whole file', async () => {
    const records: UsageRecord[] = Array.from({ length: 500 }, (_, i) => ({
      timestamp: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString(),
      agent: i % 2 ? 'ann' : 'bob',
      model: 'gpt-test',
      input_tokens: i,
      output_tokens: 1,
    }));
    const path = world.writeFile('progress.csv', csvOf(records));
    const started = await world.backend.services.usage.importFile(LOCAL_OWNER, path);
    expect(started.job).toMatchObject({
      status: 'running',
      bytesTotal: statSync(path).size,
      fileName: 'progress.csv',
    });
    const job = await started.finished;
    expect(job).toMatchObject({ status: 'done', rowsRead: 500, imported: 500 });
    expect(job.bytesDone).toBe(job.bytesTotal);
    expect(job.bytesTotal).toBe(statSync(path).size);
    expect(await world.call('jobs.get', { id: job.id })).toEqual(job);
    expect((await world.call('jobs.list', {})).map((row) => row.id)).toContain(job.id);
  });

  it('completes a file with an unknown agent once the agent exists', async () => {
    const content = csvOf([
      {
        timestamp: '2026-03-03T00:00:00Z',
        agent: 'ann',
        model: 'gpt-test',
        input_tokens: 100,
        output_tokens: 0,
      },
      {
        timestamp: '2026-03-04T00:00:00Z',
        agent: 'newbie',
        model: 'gpt-test',
        input_tokens: 40,
        output_tokens: 0,
      },
      {
        timestamp: '2026-03-05T00:00:00Z',
        agent: 'newbie',
        model: 'gpt-test',
        input_tokens: 2,
        output_tokens: 0,
      },
    ]);
    const first = await world.importText('usage.csv', content);
    expect(first).toMatchObject({ imported: 1, bad: 2 });
    expect(first.badRows).toEqual([
      { line: 3, reason: 'no agent with the handle "newbie"' },
      { line: 4, reason: 'no agent with the handle "newbie"' },
    ]);

    const newbie = await createAgent(world, 'newbie');
    await assign(world, newbie.id, orgId, '2026-03-01T00:00:00Z');
    const second = await world.importText('usage.csv', content);
    expect(second).toMatchObject({ status: 'done', imported: 2, skipped: 1, bad: 0 });
    const org = orgIn(await margins(world, '2026-03'), orgId);
    expect(org.input_tokens).toBe(142);
    expect(org.agents.find((agent) => agent.handle === 'newbie')).toMatchObject({ input_tokens: 42 });
  });

  it('counts every bad row per reason, past the hundred it lists, naming the handle no agent has', async () => {
    const rows = ['timestamp,agent,model,input_tokens,output_tokens'];
    for (let row = 1; row <= 150; row++) rows.push(`2026-03-01T00:00:00Z,legacy-helpdesk,gpt-test,${row},1`);
    rows.push('2026-03-02T00:00:00Z,ghost,gpt-test,1,1', '2026-03-02T00:00:00Z,ghost,gpt-test,2,1');
    rows.push('2026-03-02T00:00:00Z,ann,gpt-test,1.5,1');
    rows.push('2026-03-03T00:00:00Z,ann,gpt-test,7,0');
    const job = await world.importText('legacy.csv', rows.join('\n'));
    expect(job).toMatchObject({ status: 'done', imported: 1, bad: 153 });
    expect(job.badRows).toHaveLength(100);
    expect(job.problems).toEqual([
      { reason: 'no agent with the handle "legacy-helpdesk"', rows: 150, agent: 'legacy-helpdesk' },
      { reason: 'no agent with the handle "ghost"', rows: 2, agent: 'ghost' },
      { reason: expect.stringMatching(/input_tokens/), rows: 1, agent: null },
    ]);
    // What the job list and the job's page show is the same count.
    expect((await world.call('jobs.get', { id: job.id })).problems).toEqual(job.problems);
  });

  it('sees prices and assignments changed between its batches (on SQLite, on its own connection)', async () => {
    const other = await createOrg(world, 'Otherco', '30.00');
    const ann = (await world.call('agents.get', { handle: 'ann' })).id;
    const path = world.writeFile(
      'batches.csv',
      csvOf([
        {
          timestamp: '2026-03-05T00:00:00Z',
          agent: 'ann',
          model: 'gpt-test',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
        {
          timestamp: '2026-03-20T00:00:00Z',
          agent: 'ann',
          model: 'gpt-test',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
      ]),
    );
    const { store } = world.backend;
    const jobId = '00000000-0000-4000-8000-0000000000b7';
    store.jobs.insert({
      id: jobId,
      kind: 'usage',
      format: 'orgdeck',
      file_name: 'batches.csv',
      bytes_total: 1,
      actor_label: 'test',
      ...THIS_PROCESS,
      started_at: CLOCK,
    });
    let changed = false;
    // One row per batch; after the first, what prices.set and a move write (committed before the
    // next batch reads the billing revision).
    await importDirectly(world.backend, path, jobId, {
      batchSize: 1,
      onProgress: () => {
        if (changed) return;
        changed = true;
        void asEveryOrg(world.backend, () =>
          store.transaction(() => {
            store.prices.upsert({
              model: 'gpt-test',
              effective_from: '2026-03-15',
              input_pico: 3_000_000,
              output_pico: 0,
              source: 'manual',
              created_at: CLOCK,
            });
            store.usage.rebucketModel('gpt-test', '2026-03-15');
            store.agents.closeInterval(ann, '2026-03-10T00:00:00.000Z');
            store.agents.openInterval(ann, other.id, '2026-03-10T00:00:00.000Z');
          }),
        );
      },
    });
    const report = await margins(world, '2026-03');
    // The 5th: Importco at $1/M; the 20th: Otherco, at $3/M since the 15th.
    expect(orgIn(report, orgId)).toMatchObject({ cost: '1.000000', input_tokens: 1_000_000 });
    expect(orgIn(report, other.id)).toMatchObject({ cost: '3.000000', input_tokens: 1_000_000 });
  });

  it('reports a job left running by a process that is gone as interrupted when the backend opens', async () => {
    // A pid that existed a moment ago and is gone now.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const insert = world.backend.store.db.prepare(
      `INSERT INTO import_jobs (id, kind, file_name, status, bytes_total, bytes_done, imported, actor_label, pid, started_at)
       VALUES (?, 'usage', ?, 'running', 1000, 400, 12, 'test', ?, '2026-04-09T00:00:00.000Z')`,
    );
    insert.run('11111111-1111-4111-8111-111111111111', 'dead.csv', deadPid);
    // Another process that runs: this one's parent.
    insert.run('22222222-2222-4222-8222-222222222222', 'alive.csv', process.ppid);

    world.clock.set('2026-04-10T08:00:00Z');
    world.reopen();
    const dead = await world.call('jobs.get', { id: '11111111-1111-4111-8111-111111111111' });
    // What it committed stays; it is no longer running.
    expect(dead).toMatchObject({
      status: 'interrupted',
      bytesDone: 400,
      imported: 12,
      finishedAt: '2026-04-10T08:00:00.000Z',
    });
    const alive = await world.call('jobs.get', { id: '22222222-2222-4222-8222-222222222222' });
    expect(alive.status).toBe('running');
  });
});

describe('usage import in the worker', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  let buildDir: string;
  let workerFile: string;

  beforeAll(async () => {
    // Inside the project, so the bundle resolves better-sqlite3 from its node_modules.
    mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
    buildDir = mkdtempSync(join(root, 'node_modules/.cache/orgdeck-test-worker-'));
    workerFile = join(buildDir, 'usage-import-worker.mjs');
    await build({
      // With the PostgreSQL bridge's worker beside it, as the CLI's build has it.
      entryPoints: {
        'usage-import-worker': join(root, 'electron/backend/usage/import-worker.ts'),
        'pg-bridge-worker': join(root, 'electron/backend/store/postgres/pg-bridge-worker.ts'),
      },
      outdir: buildDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['better-sqlite3'],
      banner: {
        js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
      },
      logLevel: 'warning',
    });
  });

  afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

  /**
   * Rows over two months, some for an unassigned agent and an unpriced model: more than the first
   * batch holds, so the reader thread reads a second, shorter batch while the writer writes the first,
   * and the writer writes the second into the buffers the first left.
   */
  const SAMPLE_ROWS = 12_000;
  function sample(): string {
    const records: UsageRecord[] = [];
    for (let i = 0; i < SAMPLE_ROWS; i++) {
      records.push({
        timestamp: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 425_000).toISOString(),
        agent: ['ann', 'bob', 'cat'][i % 3] as string,
        model: i % 7 === 0 ? 'unpriced' : 'gpt-test',
        input_tokens: (i * 7919) % 100_000,
        output_tokens: (i * 104_729) % 20_000,
        ...(i % 5 === 0 ? { id: `row-${i}` } : {}),
      });
    }
    return csvOf(records);
  }

  type Report = ChannelOutput<'billing.margins'>;
  const bySlug = (report: Report) => ({
    ...report,
    orgs: report.orgs.map(({ id: _id, agents, ...org }) => ({
      ...org,
      agents: agents.map(({ id: _agentId, ...agent }) => agent),
    })),
    unattributed: report.unattributed && {
      ...report.unattributed,
      by_agent: report.unattributed.by_agent.map(({ id: _agentId, ...agent }) => agent),
    },
  });

  async function importInto(world: BillingWorld, content: string) {
    await setUp(world);
    await createAgent(world, 'cat');
    const job = await world.importText('sample.csv', content);
    return {
      job: { ...job, id: '', startedAt: '', finishedAt: '' },
      reports: [bySlug(await margins(world, '2026-02')), bySlug(await margins(world, '2026-03'))],
    };
  }

  it('gives the same job and the same reports as an inline import', async () => {
    const content = sample();
    const inline = openBillingWorld(CLOCK);
    const worker = openBillingWorld(CLOCK, { importWorker: workerFile });
    try {
      const viaInline = await importInto(inline, content);
      const viaWorker = await importInto(worker, content);
      expect(viaWorker.job).toMatchObject({ status: 'done', imported: SAMPLE_ROWS, bad: 0 });
      expect(viaWorker.job.bytesDone).toBe(viaWorker.job.bytesTotal);
      expect(viaWorker).toEqual(viaInline);
      // Something was counted: cost, unpriced tokens and unattributed usage.
      expect(viaWorker.reports[0]?.totals.cost).not.toBe('0.000000');
      expect(viaWorker.reports[0]?.unattributed?.input_tokens).toBeGreaterThan(0);
      expect(viaWorker.reports[0]?.orgs[0]?.unpriced_tokens).toBeGreaterThan(0);

      // Again through the worker: nothing new.
      const again = await worker.importText('sample.csv', content);
      expect(again).toMatchObject({ status: 'done', imported: 0, skipped: SAMPLE_ROWS });
    } finally {
      inline.cleanup();
      worker.cleanup();
    }
  });

  it('imports a provider export in the worker, by the format found before it started', async () => {
    const world = openBillingWorld('2026-10-20T00:00:00Z', { importWorker: workerFile });
    try {
      const ann = await createAgent(world, 'ann');
      await world.call('aliases.add', {
        agentId: ann.id,
        source: 'openai',
        kind: 'api_key',
        value: 'key_a',
      });
      const job = await world.importText('page.json', JSON.stringify(OPENAI_PAGE));
      expect(job).toMatchObject({ status: 'done', format: 'openai', imported: 1, bad: 0 });
      expect((await margins(world, '2026-10')).unattributed).toMatchObject({
        input_tokens: 300,
        output_tokens: 50,
      });
    } finally {
      world.cleanup();
    }
  });

  it('answers every edit made while the worker writes a batch: none is refused as "database is locked"', async () => {
    const world = openBillingWorld(CLOCK, { importWorker: workerFile });
    try {
      const org = await setUp(world);
      // One batch, written in one transaction that lasts a second or more: the edits below meet it.
      const rows = 300_000;
      let content = 'timestamp,agent,model,input_tokens,output_tokens\n';
      for (let i = 0; i < rows; i++)
        content += `${new Date(Date.parse('2026-02-01T00:00:00Z') + i * 10_000).toISOString()},${i % 2 ? 'ann' : 'bob'},gpt-test,${i % 1000},${i % 97}\n`;
      const started = await world.backend.services.usage.importFile(
        LOCAL_OWNER,
        world.writeFile('big.csv', content),
      );
      let finished = false;
      const job = started.finished.finally(() => {
        finished = true;
      });
      let edits = 0;
      while (!finished) {
        // world.call throws on an error envelope: a refused edit fails the test.
        await world.call('orgs.update', { id: org.id, contactName: `edit ${++edits}` });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await job).toMatchObject({ status: 'done', imported: rows });
      expect(edits).toBeGreaterThan(1);
      expect(await world.call('orgs.get', { id: org.id })).toMatchObject({ contactName: `edit ${edits}` });
    } finally {
      world.cleanup();
    }
  }, 120_000);

  // On SQLite a call that read and then writes is refused ("database is locked") if another
  // connection committed in between: the worker writes only in its turns (write-turns.ts).
  it.skipIf(onPostgresProject())(
    "writes nothing, not even the job's number, while a call holds the write turn",
    async () => {
      const world = openBillingWorld(CLOCK, { importWorker: workerFile });
      try {
        await setUp(world);
        const file = world.writeFile(
          'small.csv',
          'timestamp,agent,model,input_tokens,output_tokens\n2026-03-05T10:00:00Z,ann,gpt-test,1000,10\n',
        );
        const { store } = world.backend;
        const jobNumbers = () =>
          store.db.prepare('SELECT count(*) AS n FROM usage_jobs').get() as { n: number };
        const before = jobNumbers().n;
        let started: Awaited<ReturnType<Backend['services']['usage']['importFile']>> | undefined;
        // A call that lasts a second: the worker starts inside it and must wait for its end to write.
        await store.call(async () => {
          started = await world.backend.services.usage.importFile(LOCAL_OWNER, file);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          expect(jobNumbers().n).toBe(before);
        });
        expect(await started?.finished).toMatchObject({ status: 'done', imported: 1 });
        expect(jobNumbers().n).toBe(before + 1);
      } finally {
        world.cleanup();
      }
    },
  );

  it('fails the job when the worker cannot read the file', async () => {
    const world = openBillingWorld(CLOCK, { importWorker: workerFile });
    try {
      const job = await world.importText('short.csv', 'timestamp,agent\n2026-03-01T00:00:00Z,ann\n');
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/header lacks model, input_tokens, output_tokens/);
    } finally {
      world.cleanup();
    }
  });
});

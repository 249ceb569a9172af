import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import { BACKUPS_DIR } from '../../electron/backend/backups/backups-service';
import type { CliIo } from '../../electron/backend/cli/cli-context';
import { runCli } from '../../electron/backend/cli/run-cli';
import { MIGRATIONS } from '../../electron/backend/store/migrations';
import type { Org } from '../../shared/contract/orgs';
import {
  makeTempDir,
  OWNER,
  onPostgresProject,
  openTestBackend,
  removeDir,
  setUpOwner,
} from '../fixtures/backend';
import { storeOptions } from '../fixtures/cli';

let dataDir: string;
let rendererDir: string;

interface FakeIo {
  io: CliIo;
  out: string[];
  err: string[];
  /** Resolves untilStopped(), as SIGINT would. */
  stop(): void;
}

function fakeIo(stdin = ''): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return {
    out,
    err,
    stop: () => stop(),
    io: {
      out: (text) => void out.push(text),
      err: (text) => void err.push(text),
      readStdin: async () => stdin,
      rendererDir,
      untilStopped: () => stopped,
    },
  };
}

/** Runs one command against the test's data directory. */
async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const fake = fakeIo(stdin);
  const code = await runCli([...args, ...storeOptions(dataDir)], fake.io);
  return { code, out: fake.out.join('\n'), err: fake.err.join('\n') };
}

const INIT = ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName];

async function init(): Promise<void> {
  const result = await cli([...INIT, '--password-stdin'], `${OWNER.password}\n`);
  expect(result, result.err).toMatchObject({ code: 0 });
}

beforeEach(() => {
  dataDir = makeTempDir('orgdeck-cli-data-');
  rendererDir = makeTempDir('orgdeck-cli-renderer-');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
});

afterEach(() => {
  removeDir(dataDir);
  removeDir(rendererDir);
});

describe('orgdeck init', () => {
  it('sets up the owner from a password on stdin', async () => {
    const result = await cli([...INIT, '--password-stdin'], `${OWNER.password}\n`);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Owner: ${OWNER.ownerName} <${OWNER.ownerEmail}>`);
    expect(result.out).not.toContain(OWNER.password);

    // The trailing newline of stdin is not part of the password.
    const signIn = await cli([
      'call',
      'session.signIn',
      '--input',
      JSON.stringify({ email: OWNER.ownerEmail, password: OWNER.password }),
    ]);
    expect(signIn.code).toBe(0);
    expect(JSON.parse(signIn.out)).toMatchObject({ user: { email: OWNER.ownerEmail, role: 'owner' } });
  });

  it('exits 2 without --password-stdin and creates no owner', async () => {
    const result = await cli([...INIT]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--password-stdin/);
    const current = await cli(['call', 'session.current']);
    expect(JSON.parse(current.out)).toEqual({ user: null, needsSetup: true, setupCodeRequired: false });
  });

  it('exits 1 on a weak password, saying why', async () => {
    const result = await cli([...INIT, '--password-stdin'], 'short\n');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: VALIDATION: .*at least 10 characters/);
    expect(JSON.parse((await cli(['call', 'session.current'])).out)).toMatchObject({ needsSetup: true });
  });

  it('exits 1 with CONFLICT when run a second time', async () => {
    await init();
    const again = await cli([...INIT, '--password-stdin'], `${OWNER.password}\n`);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error: CONFLICT: /);
  });
});

describe('orgdeck org', () => {
  beforeEach(init);

  it('creates an org and prints it as JSON', async () => {
    const result = await cli(['org', 'create', '--name', 'Acme', '--rate', '40.00', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({
      name: 'Acme',
      slug: 'acme',
      rate: '40.00',
      timezone: 'UTC',
    });
  });

  it('exports the whole audit trail, on either engine', async () => {
    expect((await cli(['org', 'create', '--name', 'Acme'])).code).toBe(0);
    const file = join(dataDir, 'audit.jsonl');
    const result = await cli(['audit', 'export', '--out', file]);
    expect(result, result.err).toMatchObject({ code: 0 });
    const actions = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { action: string }).action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'org.created']));
    expect(actions.filter((action) => action === 'org.created')).toHaveLength(2);
    expect(result.out).toBe(`Wrote ${actions.length} audit entries to ${file}.`);
  });

  it('lists the orgs as JSON and as a table', async () => {
    await cli(['org', 'create', '--name', 'Acme', '--rate', '40.00']);
    const json = await cli(['org', 'list', '--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.out) as Org[]).map((org) => [org.name, org.slug])).toEqual([
      ['Platform', 'platform'],
      ['Acme', 'acme'],
    ]);
    const table = await cli(['org', 'list']);
    expect(table.out.split('\n')).toEqual([
      expect.stringMatching(/^SLUG\s+NAME\s+STATUS\s+RATE\s+BILLING\s+TIMEZONE$/),
      expect.stringMatching(/^platform\s+Platform \(owner\)\s+active\s+0\.00\s+prorated\s+UTC$/),
      expect.stringMatching(/^acme\s+Acme\s+active\s+40\.00\s+prorated\s+UTC$/),
    ]);
  });

  it('exits 1 and prints the error code when the router refuses', async () => {
    await cli(['org', 'create', '--name', 'Acme']);
    const duplicate = await cli(['org', 'create', '--name', 'Acme Again', '--slug', 'acme']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toMatch(/^error: CONFLICT: .*Acme/);
    expect(duplicate.out).toBe('');

    const invalid = await cli(['org', 'create', '--name', 'Bad Rate', '--rate', 'forty']);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/^error: VALIDATION: rate: /);
  });

  it('exits 1 on an unexpected failure and prints its cause, which INTERNAL says was logged', async ({
    skip,
  }) => {
    skip(onPostgresProject(), 'a SQLite trigger makes the failure');
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.exec(
      `CREATE TRIGGER refuse_orgs BEFORE INSERT ON orgs BEGIN SELECT RAISE(ABORT, 'disk gremlin'); END`,
    );
    db.close();
    const failed = await cli(['org', 'create', '--name', 'Acme']);
    expect(failed.code).toBe(1);
    const lines = failed.err.split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'error',
      message: 'channel failed',
      channel: 'orgs.create',
      error: 'disk gremlin',
    });
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^error: INTERNAL: .*has been logged/)]);
  });
});

describe('orgdeck usage', () => {
  it('exits 2 on an unknown command', async () => {
    const fake = fakeIo();
    expect(await runCli(['frobnicate', 'everything'], fake.io)).toBe(2);
    expect(fake.err.join('\n')).toMatch(/Unknown command: orgdeck frobnicate everything/);
  });

  it('exits 2 on an unknown option or a stray argument', async () => {
    expect((await cli(['org', 'list', '--colour'])).code).toBe(2);
    expect((await cli(['org', 'list', 'extra'])).code).toBe(2);
  });

  it('prints help and exits 0', async () => {
    const fake = fakeIo();
    expect(await runCli(['--help'], fake.io)).toBe(0);
    expect(fake.out.join('\n')).toMatch(/Usage: orgdeck <command>/);
  });
});

describe('orgdeck help and global options', () => {
  /** Runs a line exactly as typed, without the data directory appended at the end. */
  async function line(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
    const fake = fakeIo(stdin);
    const code = await runCli(args, fake.io);
    return { code, out: fake.out.join('\n'), err: fake.err.join('\n') };
  }

  it('prints the usage of every agent command for `agent --help`, and only those', async () => {
    const result = await line(['agent', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Usage: orgdeck agent <command>/);
    expect(result.out).toContain('orgdeck agent create --name N --handle H');
    expect(result.out).toContain('orgdeck agent assign');
    expect(result.out).not.toContain('orgdeck org create');
    expect(await line(['help', 'agent'])).toMatchObject({ code: 0, out: result.out });
  });

  it("prints each command's own usage for --help, before its options are checked", async () => {
    for (const words of [
      ['agent', 'assign'],
      ['org', 'create'],
      ['usage', 'import'],
      ['remote', 'login'],
    ]) {
      const result = await line([...words, '--help']);
      expect(result, words.join(' ')).toMatchObject({ code: 0, err: '' });
      expect(result.out).toMatch(new RegExp(`^Usage: orgdeck ${words.join(' ')}`));
    }
    expect((await line(['-h', 'org', 'list'])).out).toMatch(/^Usage: orgdeck org list/);
  });

  it("asks for a command, with the group's usage, when only the group is named", async () => {
    const result = await line(['agent', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('orgdeck agent create');
  });

  it('accepts --data-dir (and --database) and --json anywhere on the line', async () => {
    await init();
    const store = storeOptions(dataDir);
    const created = await line(['--json', 'org', ...store, 'create', '--name', 'Acme Corp']);
    expect(created, created.err).toMatchObject({ code: 0 });
    expect((JSON.parse(created.out) as Org).name).toBe('Acme Corp');
    for (const args of [
      [...store, '--json', 'org', 'list'],
      // After the data directory, the PostgreSQL project's --database, if any.
      ['org', '--json', 'list', `--data-dir=${dataDir}`, ...store.slice(2)],
      ['org', 'list', ...store, '--json'],
    ]) {
      const listed = await line(args);
      expect(listed, args.join(' ')).toMatchObject({ code: 0 });
      expect((JSON.parse(listed.out) as Org[]).map((org) => org.name)).toContain('Acme Corp');
    }
  });
});

describe('a data directory from a newer Orgdeck', () => {
  it('exits 1 telling the user to update, and leaves the data alone', async ({ skip }) => {
    skip(onPostgresProject(), 'a SQLite file; postgres-migrations.test.ts refuses a newer PostgreSQL schema');
    const file = join(dataDir, DATABASE_FILE);
    const newer = new Database(file);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    const result = await cli(['org', 'list']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: .*newer Orgdeck.*Update Orgdeck/);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    after.close();
  });
});

describe('SQLite-only commands on a PostgreSQL store', () => {
  it('answer UNAVAILABLE, pointing to the database’s own tools, and touch nothing', async ({ skip }) => {
    skip(!onPostgresProject(), 'the PostgreSQL project gives the store a database');
    await init();
    for (const args of [['backup', '--out', join(dataDir, 'copy.db')], ['restore', 'copy.db'], ['doctor']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.err).toMatch(/^error: UNAVAILABLE: .*SQLite store only.*pg_dump/);
    }
    expect(existsSync(join(dataDir, 'copy.db'))).toBe(false);
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('the console’s backup refuses there too, and never passes off a SQLite file in the directory as one', async ({
    skip,
  }) => {
    skip(!onPostgresProject(), 'the PostgreSQL project gives the store a database');
    // A store file left from before the move to PostgreSQL (`orgdeck store copy` from this directory).
    new Database(join(dataDir, DATABASE_FILE)).close();
    const harness = openTestBackend({ dataDir });
    onTestFinished(() => harness.backend.close());
    const owner = await setUpOwner(harness);
    const answer = await harness.call('backups.create', {}, owner);
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/pg_dump/) },
    });
    expect(existsSync(join(dataDir, BACKUPS_DIR))).toBe(false);
  });
});

describe('orgdeck call', () => {
  beforeEach(init);

  it('calls a channel and prints its data as JSON', async () => {
    const result = await cli(['call', 'orgs.list']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject([{ name: 'Platform', isOwner: true }]);
    const search = await cli(['call', 'orgs.list', '--input', '{"search":"nothing"}']);
    expect(JSON.parse(search.out)).toEqual([]);
  });

  it('exits 2 when --input is not JSON, and 1 for an unknown channel', async () => {
    expect((await cli(['call', 'orgs.list', '--input', '{oops'])).code).toBe(2);
    const unknown = await cli(['call', 'orgs.explode']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error: NOT_FOUND: /);
  });
});

describe('orgdeck serve', () => {
  it('serves the API until stopped, then exits 0', async () => {
    await init();
    // serve logs one JSON line per request on stderr; keep it to check it instead of printing it.
    const logged: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      logged.push(String(chunk));
      return true;
    });
    onTestFinished(() => stderr.mockRestore());
    const fake = fakeIo();
    const running = runCli(['serve', ...storeOptions(dataDir), '--port', '0'], fake.io);
    let exited = false;
    void running.then(() => {
      exited = true;
    });

    let serverUrl: string | undefined;
    for (let waited = 0; !serverUrl && !exited && waited < 10_000; waited += 20) {
      serverUrl = fake.out.map((line) => /listening on (http:\/\/\S+)/.exec(line)?.[1]).find(Boolean);
      if (!serverUrl) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(serverUrl, fake.err.join('\n')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${serverUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ openapi: '3.1.0' });
    expect(await (await fetch(`${serverUrl}/`)).text()).toContain('<title>console</title>');
    expect(exited).toBe(false);

    fake.stop();
    await expect(running).resolves.toBe(0);
    await expect(fetch(`${serverUrl}/api/openapi.json`)).rejects.toThrow();
    expect(logged.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ message: 'request', method: 'GET', path: '/api/openapi.json', status: 200 }),
    );
  });

  it('exits 2 on a bad port', async () => {
    expect((await cli(['serve', '--port', '99999'])).code).toBe(2);
  });

  it('exits 2 on a --public-url that is not an http(s) URL', async () => {
    for (const bad of ['orgdeck.example.com', 'ftp://orgdeck.example.com', 'https://']) {
      const result = await cli(['serve', '--port', '0', '--public-url', bad]);
      expect(result.code, bad).toBe(2);
      expect(result.err).toContain('--public-url');
    }
  });

  it('on a store with no owner, prints a setup code that setup over HTTP needs; answers --public-url names', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    onTestFinished(() => stderr.mockRestore());
    const fake = fakeIo();
    const args = [
      'serve',
      ...storeOptions(dataDir),
      '--port',
      '0',
      '--public-url',
      'https://orgdeck.example.com:8443',
    ];
    const running = runCli(args, fake.io);
    let serverUrl: string | undefined;
    for (let waited = 0; !serverUrl && waited < 10_000; waited += 20) {
      serverUrl = fake.out.map((line) => /listening on (http:\/\/\S+)/.exec(line)?.[1]).find(Boolean);
      if (!serverUrl) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const code = fake.out.map((line) => /setup code: (\S+)/.exec(line)?.[1]).find(Boolean);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const setup = (setupCode?: string) =>
      fetch(`${serverUrl}/api/setup.init`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...OWNER, setupCode }),
      });
    expect((await setup()).status).toBe(403);
    expect((await setup(code)).status).toBe(200);

    const { port } = new URL(serverUrl ?? '');
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) =>
        request({ host: '127.0.0.1', port, path: '/api/version', headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
    expect(await statusFor('orgdeck.example.com')).toBe(200);
    expect(await statusFor('rebind.evil.test')).toBe(421);
    fake.stop();
    await expect(running).resolves.toBe(0);
  });
});

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackendHost, openBackendHost } from '../../electron/backend/host/backend-host';
import { silentLogger } from '../../electron/backend/logger';
import { makeTempDir, newSession, OWNER, removeDir } from '../fixtures/backend';
import { buildCli, type ServeProcess, startServeProcess } from '../fixtures/built-cli';
import { runCliIn } from '../fixtures/cli';
import { rawExchange } from '../fixtures/raw-http';

// What a request without credentials costs `orgdeck serve` before it is refused: 150 anonymous
// 1 MiB bodies to an unknown channel once took 4.2 GB, each read, parsed and copied to the writer.
let cliDir: string;
let serveDir: string;
let hostDir: string;
let serve: ServeProcess;
let host: BackendHost;
let port: number;

/** The headers of a JSON POST declaring a `length`-byte body, which is never sent. */
const headersOnly = (channel: string, length: number, extra = '') =>
  `POST /api/${channel} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

/** The envelope of a raw HTTP answer, whether sent whole or as one chunk. */
const envelopeOf = (answer: string) => JSON.parse(/\{"ok":.*\}/.exec(answer)?.[0] ?? 'null');

/** `{"a":{"a":…{}…}}`, `depth` objects deep. */
const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;

function nestedObject(depth: number): unknown {
  let value: unknown = {};
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

beforeAll(async () => {
  cliDir = buildCli('limits-cli');
  serveDir = makeTempDir('orgdeck-limits-');
  const init = await runCliIn(
    serveDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    OWNER.password,
  );
  expect(init.code, init.err).toBe(0);
  serve = await startServeProcess(cliDir, ['--data-dir', serveDir]);
  port = Number(new URL(serve.url).port);
  hostDir = makeTempDir('orgdeck-limits-host-');
  host = openBackendHost({
    dataDir: hostDir,
    hostWorker: join(cliDir, 'backend-host-worker.mjs'),
    logger: silentLogger,
  });
  await host.ready;
}, 120_000);

afterAll(async () => {
  await host?.close();
  if (serve && serve.child.exitCode === null) {
    const exited = new Promise((resolve) => serve.child.once('exit', resolve));
    serve.child.kill('SIGTERM');
    await exited;
  }
  removeDir(serveDir);
  removeDir(hostDir);
  rmSync(cliDir, { recursive: true, force: true });
});

describe('a request without credentials is refused before its body is read', () => {
  it('answers an unknown channel 404 NOT_FOUND while the body has not been sent', async () => {
    const answer = await rawExchange(port, headersOnly('nope', 900_000));
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(envelopeOf(answer)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'There is no channel named "nope".' },
    });
  });

  it('answers a channel that needs a session 401 UNAUTHENTICATED while the body has not been sent', async () => {
    const answer = await rawExchange(port, headersOnly('orgs.list', 900_000));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(envelopeOf(answer)).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' },
    });
  });

  it('answers the same for a declared body far over the limit, not a complaint about its size', async () => {
    expect(await rawExchange(port, headersOnly('nope.nothing', 50 * 1024 * 1024))).toMatch(
      /^HTTP\/1\.1 404 /,
    );
    expect(await rawExchange(port, headersOnly('orgs.list', 50 * 1024 * 1024))).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('still reads the body of a public channel, and of a request that carries a token', async () => {
    const bad = (channel: string, extra = '') => `${headersOnly(channel, 5, extra)}{oops`;
    for (const [channel, extra] of [
      ['session.current', ''],
      ['orgs.list', 'Authorization: Bearer not-a-token\r\n'],
      ['orgs.list', 'Cookie: orgdeck_session=forged\r\n'],
    ]) {
      const answer = await rawExchange(port, bad(channel as string, extra));
      expect(answer, `${channel} ${extra}`).toMatch(/^HTTP\/1\.1 400 /);
      expect(envelopeOf(answer).error.code).toBe('VALIDATION');
    }
  });
});

describe('deeply nested input', () => {
  it('is refused with 400 VALIDATION in words of its own, not the engine’s', async () => {
    const signIn = await fetch(`${serve.url}/api/session.signIn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: OWNER.ownerEmail, password: OWNER.password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const deep = await fetch(`${serve.url}/api/orgs.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: nestedText(5_000),
    });
    expect(deep.status).toBe(400);
    const { error } = (await deep.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/nested too deeply/);
    expect(error.message).not.toMatch(/call stack|Maximum/i);
    // Input of an ordinary depth still reaches the channel (which refuses the unknown key).
    const shallow = await fetch(`${serve.url}/api/orgs.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: nestedText(20),
    });
    expect(((await shallow.json()) as { error: { message: string } }).error.message).not.toMatch(
      /nested too deeply/,
    );
  });
});

describe('the backend host', () => {
  it('refuses input it cannot copy to a thread without the engine’s own words', async () => {
    const answer = await host.router.call('session.current', nestedObject(20_000), newSession());
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(answer)).not.toMatch(/call stack|Maximum|DataCloneError/i);
  });
});

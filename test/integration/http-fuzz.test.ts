import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER } from '../fixtures/backend';
import { buildCli } from '../fixtures/built-cli';
import { runCliIn } from '../fixtures/cli';
import { rawExchange } from '../fixtures/raw-http';

// Issue #14, finding 0: one anonymous request (`GET //`) ended `orgdeck serve`. The server runs
// here as users run it (bundled, its own process), so a crash shows as an exit, not a test error.
let cliDir: string;
let dataDir: string;
let serve: ChildProcess;
let output = '';
let port: number;

async function versionAnswers(): Promise<void> {
  expect(serve.exitCode, output).toBeNull();
  const response = await fetch(`http://127.0.0.1:${port}/api/version`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ contract: expect.any(Number) });
}

const line = (target: string, method = 'GET') => `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const post = (headers: string, body = '') =>
  `POST /api/orgs.list HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;

/** `size` bytes of a JSON string, sent as 64 KiB chunks: no Content-Length tells the server it is too large. */
function chunkedBody(channel: string, size: number): string {
  const piece = 65_536;
  const body = `"${'x'.repeat(size - 2)}"`;
  let chunks = '';
  for (let at = 0; at < body.length; at += piece) {
    const chunk = body.slice(at, at + piece);
    chunks += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  }
  return `POST /api/${channel} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`;
}

const OVERSIZED_CHUNKED = chunkedBody('session.current', 2 * 1024 * 1024);

const MALFORMED: [name: string, bytes: Buffer | string][] = [
  ['//', line('//')],
  ['//api/version', line('//api/version')],
  ['/%', line('/%')],
  ['/%zz', line('/%zz')],
  ['/api/%zz', line('/api/%zz', 'POST')],
  ['/\\', line('/\\')],
  ['absolute-form http://x/', line('http://x/')],
  ['absolute-form http://x/api/orgs.list', line('http://x/api/orgs.list', 'POST')],
  ['*', line('*')],
  ['OPTIONS *', line('*', 'OPTIONS')],
  ['no target', 'GET HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ['garbage request line', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n'],
  ['overlong path (64 KiB)', line(`/${'a'.repeat(65_536)}`)],
  ['overlong api path', line(`/api/${'x'.repeat(20_000)}`, 'POST')],
  [
    'invalid UTF-8 in the path',
    Buffer.concat([Buffer.from('GET /\xff\xfe'), Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')]),
  ],
  ['escaped invalid UTF-8', line('/%ff%fe%80')],
  ['NUL byte in the path', line('/a\x00b')],
  ['escaped NUL', line('/%00/../index.html')],
  ['NUL in a header', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\x00b\r\n\r\n'],
  ['no Host', 'GET /api/version HTTP/1.1\r\n\r\n'],
  ['two Hosts', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.test\r\n\r\n'],
  ['empty Host', 'GET / HTTP/1.1\r\nHost:\r\n\r\n'],
  ['Host with a bad port', 'GET / HTTP/1.1\r\nHost: 127.0.0.1:99999999\r\n\r\n'],
  ['Host that is not a name', 'GET / HTTP/1.1\r\nHost: [::1\r\n\r\n'],
  ['huge header (100 KiB)', `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`],
  [
    'huge cookie',
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: orgdeck_session=${'%'.repeat(60_000)}\r\n\r\n`,
  ],
  ['Content-Length not a number', post('Content-Length: abc\r\n', '{}')],
  ['negative Content-Length', post('Content-Length: -5\r\n', '{}')],
  ['two Content-Lengths', post('Content-Length: 2\r\nContent-Length: 3\r\n', '{}')],
  ['Content-Length larger than the body', post('Content-Length: 100\r\n', '{}')],
  ['Content-Length shorter than the body', post('Content-Length: 1\r\n', '{"a":1}')],
  ['huge Content-Length', post('Content-Length: 99999999999999999999\r\n', '{}')],
  ['chunked garbage', post('Transfer-Encoding: chunked\r\n', 'zz\r\nhello\r\n0\r\n\r\n')],
  ['chunk larger than said', post('Transfer-Encoding: chunked\r\n', '2\r\n{"a":1}\r\n0\r\n\r\n')],
  [
    'chunked and Content-Length',
    post('Transfer-Encoding: chunked\r\nContent-Length: 2\r\n', '2\r\n{}\r\n0\r\n\r\n'),
  ],
  ['unknown transfer coding', post('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n')],
  ['chunked body over the limit (2 MiB)', OVERSIZED_CHUNKED],
  ['body that is invalid UTF-8', post('Content-Length: 4\r\n', '\xff\xfe\xfd\xfc')],
  [
    'cookie with a broken escape',
    'GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: orgdeck_session=%zz\r\n\r\n',
  ],
  ['Origin that is no URL', post('Origin: ::::\r\nContent-Length: 2\r\n', '{}')],
  ['bad HTTP version', 'GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n'],
  ['unknown method', 'BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ['header without a colon', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n'],
  ['bare LF line ends', 'GET // HTTP/1.1\nHost: 127.0.0.1\n\n'],
  ['connection closed mid-headers', 'GET / HTTP/1.1\r\nHost: 127.'],
];

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'orgdeck-fuzz-'));
  dataDir = join(work, 'data');
  cliDir = buildCli('fuzz-cli');
  const init = await runCliIn(
    dataDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    OWNER.password,
  );
  expect(init.code, init.err).toBe(0);
  serve = spawn(
    process.execPath,
    [join(cliDir, 'orgdeck.mjs'), 'serve', '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  serve.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  serve.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(Number(match[1]));
      } else if (serve.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`orgdeck serve exited: ${output}`));
      }
    }, 20);
  });
}, 60_000);

afterAll(async () => {
  if (serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
  rmSync(cliDir, { recursive: true, force: true });
});

describe('no request, however malformed, ends orgdeck serve', () => {
  for (const [name, bytes] of MALFORMED) {
    it(`still answers GET /api/version after ${name}`, async () => {
      const answer = await rawExchange(port, bytes);
      // Whatever the answer, it never carries the server's insides.
      expect(answer).not.toMatch(/\s{4}at |node:internal|\.ts:\d+|Invalid URL/);
      await versionAnswers();
    });
  }

  it('answers a target that is no path with 400, and odd paths with an answer, not a dropped connection', async () => {
    for (const target of ['*', 'http://x/', 'http://127.0.0.1/api/version']) {
      expect(await rawExchange(port, line(target)), target).toMatch(/^HTTP\/1\.1 400 /);
    }
    for (const target of ['//', '/%', '/%zz', '/\\', '/%00']) {
      expect(await rawExchange(port, line(target)), target).toMatch(/^HTTP\/1\.1 \d{3} /);
    }
    await versionAnswers();
  });

  it('refuses a chunked body over the limit with 400, logs the request, and throws nothing it does not catch', async () => {
    const logged = output.length;
    const answer = await rawExchange(port, OVERSIZED_CHUNKED);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"VALIDATION"');
    await versionAnswers();
    const lines = output.slice(logged);
    // Refused, the request once destroyed its socket, and the request log then read the address of none.
    expect(lines).not.toContain('uncaught exception');
    expect(lines).toMatch(
      /"message":"request","method":"POST","path":"\/api\/session\.current","status":400,/,
    );
  });

  it('answers every malformed request at once, then still answers', async () => {
    await Promise.all(MALFORMED.map(([, bytes]) => rawExchange(port, bytes)));
    await versionAnswers();
  });
});

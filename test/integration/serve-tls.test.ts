import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/backend/cli/cli-context';
import { runCli } from '../../electron/backend/cli/run-cli';
import { CONTRACT_VERSION } from '../../shared/contract/version';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { serveBackend } from '../fixtures/http-server';

let dir: string;
let certFile: string;
let keyFile: string;
let otherCertFile: string;

/** A throwaway self-signed certificate for localhost and 127.0.0.1, made with openssl. */
function makeCertificate(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS call that trusts exactly the certificate in `caFile`. */
function httpsCall(
  url: string,
  caFile: string,
  options: { method?: string; body?: unknown; cookie?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: readFileSync(caFile),
        headers: {
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(options.cookie === undefined ? {} : { Cookie: options.cookie }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** Runs `orgdeck serve` in-process; `stop()` plays SIGINT. */
function startServe(args: string[], dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let announced: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    announced = resolve;
  });
  const io: CliIo = {
    out: (text) => {
      out.push(text);
      const match = /listening on (\S+)/.exec(text);
      if (match?.[1]) announced(match[1]);
    },
    err: (text) => void err.push(text),
    readStdin: async () => '',
    rendererDir: dataDir,
    untilStopped: () => stopped,
  };
  const exit = runCli(['serve', ...args, '--data-dir', dataDir], io);
  return { exit, listening, out, err, stop: () => stop() };
}

beforeAll(() => {
  dir = makeTempDir('orgdeck-tls-');
  ({ cert: certFile, key: keyFile } = makeCertificate('console'));
  otherCertFile = makeCertificate('other').cert;
});

afterAll(() => removeDir(dir));

describe('HTTPS', () => {
  it('serves the API over TLS, with a Secure session cookie', async () => {
    const served = await serveBackend({ tls: { cert: readFileSync(certFile), key: readFileSync(keyFile) } });
    try {
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const version = await httpsCall(`${served.url}/api/version`, certFile);
      expect(version.status).toBe(200);
      expect(JSON.parse(version.body)).toEqual({ app: '9.9.9', contract: CONTRACT_VERSION });

      await served.harness.data('setup.init', { ...OWNER });
      const signedIn = await httpsCall(`${served.url}/api/session.signIn`, certFile, {
        method: 'POST',
        body: { email: OWNER.ownerEmail, password: OWNER.password },
      });
      expect(signedIn.status).toBe(200);
      const setCookie =
        [signedIn.headers['set-cookie'] ?? []].flat().find((cookie) => cookie.includes('orgdeck_session=')) ??
        '';
      expect(setCookie).toMatch(/^__Host-orgdeck_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
      const token = setCookie.split(';')[0]?.split('=')[1] ?? '';
      const whoFor = async (cookie: string) =>
        JSON.parse(
          (
            await httpsCall(`${served.url}/api/session.current`, certFile, {
              method: 'POST',
              body: {},
              cookie,
            })
          ).body,
        ).data.user?.email ?? null;
      expect(await whoFor(`__Host-orgdeck_session=${token}`)).toBe(OWNER.ownerEmail);
      // The name without the prefix is one any page of this host (a plain-HTTP port, a sibling
      // subdomain) can set: over TLS it is no session.
      expect(await whoFor(`orgdeck_session=${token}`)).toBeNull();
      // The API's description names the cookie the server reads.
      const openApi = JSON.parse((await httpsCall(`${served.url}/api/openapi.json`, certFile)).body);
      expect(openApi.components.securitySchemes.session).toEqual({
        type: 'apiKey',
        in: 'cookie',
        name: '__Host-orgdeck_session',
      });
      // A client that trusts some other certificate refuses to talk to this server.
      await expect(httpsCall(`${served.url}/api/version`, otherCertFile)).rejects.toThrow(
        /self[- ]signed|certificate/i,
      );
    } finally {
      await served.stop();
    }
  });
});

describe('orgdeck serve', () => {
  it.each([
    [['--host', '0.0.0.0'], /--tls-cert FILE --tls-key FILE.*--insecure-http/s],
    [['--host', '0.0.0.0', '--tls-cert', 'x.crt'], /both --tls-cert FILE and --tls-key FILE/],
    [['--tls-key', 'x.key'], /both --tls-cert FILE and --tls-key FILE/],
    [['--host', '0.0.0.0', '--tls-cert', 'a', '--tls-key', 'b', '--insecure-http'], /Choose one/],
  ])('refuses %j with exit code 2 and says what to do', async (args, message) => {
    const dataDir = makeTempDir('orgdeck-serve-');
    try {
      const run = startServe(args, dataDir);
      expect(await run.exit).toBe(2);
      expect(run.err.join('\n')).toMatch(message);
      expect(run.out.join('\n')).not.toMatch(/listening/);
    } finally {
      removeDir(dataDir);
    }
  });

  it('refuses a certificate and key that do not belong together', async () => {
    const dataDir = makeTempDir('orgdeck-serve-');
    try {
      const run = startServe(['--port', '0', '--tls-cert', otherCertFile, '--tls-key', keyFile], dataDir);
      expect(await run.exit).toBe(2);
      expect(run.err.join('\n')).toMatch(/do not load/);
    } finally {
      removeDir(dataDir);
    }
  });

  it('serves https:// with --tls-cert and --tls-key, on loopback too', async () => {
    const dataDir = makeTempDir('orgdeck-serve-');
    const run = startServe(['--port', '0', '--tls-cert', certFile, '--tls-key', keyFile], dataDir);
    try {
      const url = await run.listening;
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect((await httpsCall(`${url}/api/version`, certFile)).status).toBe(200);
    } finally {
      run.stop();
      expect(await run.exit).toBe(0);
      removeDir(dataDir);
    }
  });

  it('serves plain HTTP on another host only with --insecure-http, and warns', async () => {
    const dataDir = makeTempDir('orgdeck-serve-');
    const run = startServe(['--port', '0', '--host', '0.0.0.0', '--insecure-http'], dataDir);
    try {
      const url = await run.listening;
      expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      expect(run.err.join('\n')).toMatch(/warning: .*unencrypted/);
      const port = new URL(url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/version`)).status).toBe(200);
    } finally {
      run.stop();
      expect(await run.exit).toBe(0);
      removeDir(dataDir);
    }
  });
});

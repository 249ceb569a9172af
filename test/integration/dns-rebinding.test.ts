import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueSetupCode } from '../../electron/backend/services/token-secrets';
import { CONTRACT_HEADER, CONTRACT_VERSION } from '../../shared/contract/version';
import { OWNER } from '../fixtures/backend';
import { type ServedBackend, serveBackend } from '../fixtures/http-server';

// Issue #14, finding 3: a page on rebind.evil.test, resolved to 127.0.0.1, sent Host and Origin
// both http://rebind.evil.test:PORT to a fresh `orgdeck serve` and became its owner.
let served: ServedBackend;
let setupCode: string;

beforeEach(async () => {
  const setup = issueSetupCode();
  served = await serveBackend({ hostNames: ['orgdeck.example.com'], setupCodeHash: setup.hashHex });
  setupCode = setup.code;
});
afterEach(() => served.stop());

/** A request with the Host and Origin a browser would send (fetch may not set Host). */
function send(
  method: string,
  path: string,
  host: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const { port } = new URL(served.url);
  const headers: Record<string, string> = { Host: host, Origin: `http://${host}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers[CONTRACT_HEADER] = String(CONTRACT_VERSION);
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const needsSetup = async () => (await served.harness.data('session.current', {})).needsSetup;
const port = () => new URL(served.url).port;

describe('DNS rebinding', () => {
  it('refuses setup.init from a name that is not this server with 421, and creates no owner', async () => {
    const answer = await send('POST', '/api/setup.init', `rebind.evil.test:${port()}`, {
      ownerEmail: 'attacker@evil.test',
      ownerName: 'Attacker',
      password: 'attacker password',
      setupCode,
    });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.text)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await needsSetup()).toBe(true);
  });

  it('serves neither the API nor static files nor the version to an unknown name', async () => {
    for (const path of ['/', '/index.html', '/api/version', '/api/openapi.json']) {
      expect((await send('GET', path, `rebind.evil.test:${port()}`)).status, path).toBe(421);
    }
    expect((await send('POST', '/api/session.current', 'rebind.evil.test', {})).status).toBe(421);
  });

  it('answers the loopback names and the names it was given, whatever the port', async () => {
    for (const host of [
      `127.0.0.1:${port()}`,
      `localhost:${port()}`,
      `LOCALHOST.:${port()}`,
      'orgdeck.example.com',
    ]) {
      expect((await send('GET', '/api/version', host)).status, host).toBe(200);
    }
    expect((await send('GET', '/api/version', '[::1]:1')).status).toBe(200);
  });

  it('refuses a name that only starts or ends like a known one', async () => {
    for (const host of [
      'localhost.evil.test',
      'evil.localhost.test',
      '127.0.0.1.evil.test',
      'orgdeck.example.com.evil',
    ]) {
      expect((await send('GET', '/api/version', host)).status, host).toBe(421);
    }
  });
});

describe('first-run setup over HTTP asks for the code serve printed', () => {
  const host = () => `127.0.0.1:${port()}`;
  const owner = { ...OWNER };

  it('says so on session.current, so the setup page asks for it', async () => {
    const answer = await send('POST', '/api/session.current', host(), {});
    expect(JSON.parse(answer.text).data).toMatchObject({ needsSetup: true, setupCodeRequired: true });
  });

  it('refuses setup without the code, or with a wrong one, and creates nothing', async () => {
    for (const code of [undefined, '', 'AAAA-AAAA-AAAA', `${setupCode}X`]) {
      const answer = await send('POST', '/api/setup.init', host(), { ...owner, setupCode: code });
      expect(answer.status, String(code)).toBe(403);
      expect(JSON.parse(answer.text).error).toMatchObject({
        code: 'FORBIDDEN',
        details: { issues: [{ path: ['setupCode'] }] },
      });
    }
    expect(await needsSetup()).toBe(true);
  });

  it('sets up with the code (as typed by a person: any case, spaces), once', async () => {
    const typed = ` ${setupCode.toLowerCase().replaceAll('-', ' ')} `;
    const answer = await send('POST', '/api/setup.init', host(), { ...owner, setupCode: typed });
    expect(answer.status).toBe(200);
    expect(await needsSetup()).toBe(false);
    const again = await send('POST', '/api/setup.init', host(), { ...owner, setupCode });
    expect(JSON.parse(again.text).error.code).toBe('CONFLICT');
    const current = await send('POST', '/api/session.current', host(), {});
    expect(JSON.parse(current.text).data.setupCodeRequired).toBe(false);
  });

  it('asks for no code once the store has an owner, even after a restart with a new one', async () => {
    await served.harness.data('setup.init', { ...owner, setupCode });
    served.harness.reopen();
    const current = await served.harness.data('session.current', {});
    expect(current.setupCodeRequired).toBe(false);
  });
});

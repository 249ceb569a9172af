import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, listen } from '../../electron/backend/http/server';
import { silentLogger } from '../../electron/backend/logger';
import { channelNames } from '../../shared/contract';
import {
  makeTempDir,
  OWNER,
  openTestBackend,
  removeDir,
  setUpOwner,
  type TestBackend,
  type TestSession,
} from '../fixtures/backend';

const INDEX_HTML = '<!doctype html><head><title>Orgdeck test console</title></head><body></body>';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-STATIC-DIR';

let harness: TestBackend;
let owner: TestSession;
let root: string;
let server: Server;
let url: string;
let cookie: string;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: { ok: boolean; data?: unknown; error?: { code: string; message: string; details?: unknown } };
}

async function post(
  channel: string,
  body: unknown,
  options: { cookie?: string; contentType?: string; raw?: string; origin?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.origin) headers.Origin = options.origin;
  const response = await fetch(`${url}/api/${channel}`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

/** An error answer as a client sees it: the code, and nothing from the server's insides. */
function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
  expect(answer.text).not.toMatch(/stack|\s{4}at |node:internal|\.ts:\d+/);
}

async function orgCount(): Promise<number> {
  return (await harness.data('orgs.list', {}, owner)).length;
}

/** A raw GET, because fetch would normalize a path like /../../etc/passwd before sending it. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  harness = openTestBackend();
  owner = await setUpOwner(harness);
  root = makeTempDir('orgdeck-http-');
  const staticDir = join(root, 'static');
  mkdirSync(staticDir);
  mkdirSync(join(root, 'static-evil'));
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'app.js'), 'console.log("app");');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'static-evil', 'secret.txt'), SECRET);
  server = createHttpServer({
    router: harness.backend.router,
    logger: silentLogger,
    staticDir,
    version: '9.9.9',
  });
  url = await listen(server, 0, '127.0.0.1');

  const signedIn = await post('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
  expect(signedIn.status).toBe(200);
  const setCookie = signedIn.headers.getSetCookie()[0] ?? '';
  expect(setCookie).toMatch(/^orgdeck_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
  cookie = setCookie.split(';')[0] ?? '';
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  harness.cleanup();
  removeDir(root);
});

describe('sessions over HTTP', () => {
  it('signs in with a session cookie that page scripts cannot read, and no token in the body', async () => {
    const answer = await post('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
    expect(answer.body).toMatchObject({ ok: true, data: { user: { email: OWNER.ownerEmail } } });
    const token = decodeURIComponent(
      (answer.headers.get('set-cookie') ?? '').split(';')[0]?.split('=')[1] ?? 'missing',
    );
    expect(answer.text).not.toContain(token);
  });

  it('creates an org with the cookie', async () => {
    const answer = await post('orgs.create', { name: 'Cookie Corp', rate: '40' }, { cookie });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, data: { slug: 'cookie-corp', rate: '40.00' } });
  });

  it('answers 401 UNAUTHENTICATED without a cookie, and with a bad one', async () => {
    expectError(await post('orgs.list', {}), 401, 'UNAUTHENTICATED');
    expectError(await post('orgs.list', {}, { cookie: 'orgdeck_session=forged' }), 401, 'UNAUTHENTICATED');
    // Any app on this host can set a cookie for it; a malformed one is no session, not a server error.
    expectError(await post('orgs.list', {}, { cookie: 'orgdeck_session=%E0%A4%A' }), 401, 'UNAUTHENTICATED');
  });

  it('acts on no session when the request carries two session cookies', async () => {
    // Another app on this host can set its own session cookie at a narrower path (a valid session
    // of its owner's, signed in here), which the browser sends first: neither is acted on.
    const other = await post('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
    const planted = (other.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await post('orgs.list', {}, { cookie: planted })).status).toBe(200);
    expectError(await post('orgs.list', {}, { cookie: `${planted}; ${cookie}` }), 401, 'UNAUTHENTICATED');
  });

  it('signs out by clearing the cookie, after which it no longer works', async () => {
    const signedIn = await post('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password });
    const own = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const out = await post('session.signOut', {}, { cookie: own });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(
      /^orgdeck_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/,
    );
    expectError(await post('orgs.list', {}, { cookie: own }), 401, 'UNAUTHENTICATED');
  });
});

describe('refused input writes nothing', () => {
  it.each<[string, { body?: unknown; raw?: string; contentType?: string }]>([
    ['an empty name', { body: { name: '' } }],
    ['a name that is only spaces', { body: { name: '    ' } }],
    ['a name that is a number', { body: { name: 42 } }],
    ['a 10,000-character name', { body: { name: 'x'.repeat(10_000) } }],
    ['the slug ../../etc', { body: { name: 'Etc', slug: '../../etc' } }],
    ['an unknown field', { body: { name: 'Extra', isOwner: true } }],
    ['a body that is not JSON', { raw: '{oops' }],
    ['a JSON array body', { raw: '[{"name":"Array"}]' }],
    ['Content-Type text/plain', { raw: JSON.stringify({ name: 'Plain' }), contentType: 'text/plain' }],
  ])('orgs.create with %s answers 400 VALIDATION', async (_case, request) => {
    const before = await orgCount();
    const answer = await post('orgs.create', request.body, {
      cookie,
      raw: request.raw,
      contentType: request.contentType,
    });
    expectError(answer, 400, 'VALIDATION');
    expect(await orgCount()).toBe(before);
  });

  it('refuses a POST from another site with 403, whatever the cookie', async () => {
    const before = await orgCount();
    const answer = await post(
      'orgs.create',
      { name: 'Cross Site' },
      { cookie, origin: 'https://evil.example' },
    );
    expectError(answer, 403, 'FORBIDDEN');
    expectError(
      await post('orgs.create', { name: 'Null Origin' }, { cookie, origin: 'null' }),
      403,
      'FORBIDDEN',
    );
    expect(await orgCount()).toBe(before);
  });

  it('accepts a POST whose Origin is this server', async () => {
    const answer = await post('orgs.create', { name: 'Same Site' }, { cookie, origin: url });
    expect(answer.body).toMatchObject({ ok: true, data: { slug: 'same-site' } });
  });
});

describe('the API surface', () => {
  it('answers 404 NOT_FOUND for an unknown channel, and for a GET on a channel', async () => {
    expectError(await post('orgs.explode', {}, { cookie }), 404, 'NOT_FOUND');
    const get = await fetch(`${url}/api/orgs.list`, { headers: { Cookie: cookie } });
    expect(get.status).toBe(404);
    expectError(await post('%E0%A4%A', {}, { cookie }), 404, 'NOT_FOUND');
  });

  it('serves an OpenAPI 3.1.0 document with a path for every channel', async () => {
    const response = await fetch(`${url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; info: { version: string }; paths: object };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    expect(Object.keys(doc.paths).sort()).toEqual(channelNames.map((name) => `/api/${name}`).sort());
  });
});

/** The page's own markup, without the session block serve adds to its head. */
const withoutSession = (html: string) =>
  html.replace(/<script type="application\/json"[^>]*>.*?<\/script>/, '');

/** The session block of a served page, parsed; undefined when it has none. */
function pageSession(html: string): unknown {
  const block = /<script type="application\/json" id="orgdeck-session">(.*?)<\/script>/.exec(html);
  return block ? JSON.parse(block[1] ?? '') : undefined;
}

describe('static files', () => {
  it('serves index.html at / with a Content-Security-Policy, never to be cached', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(withoutSession(await response.text())).toBe(INDEX_HTML);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('starts the page with what session.current answers its cookie', async () => {
    const signedIn = await fetch(`${url}/`, { headers: { Cookie: cookie } });
    const current = await post('session.current', {}, { cookie });
    expect(pageSession(await signedIn.text())).toEqual(current.body.data);
    expect(current.body.data).toMatchObject({ user: { email: OWNER.ownerEmail } });
    const anonymous = await fetch(`${url}/orgs`);
    expect(pageSession(await anonymous.text())).toEqual({
      user: null,
      needsSetup: false,
      setupCodeRequired: false,
    });
  });

  it('keeps a name that looks like markup inside the session block', async () => {
    const me = (await post('session.current', {}, { cookie })).body.data as { user: { id: string } };
    const name = `</script><script>alert(1)</script><!-- $& $' & "`;
    expect((await post('users.update', { id: me.user.id, name }, { cookie })).status).toBe(200);
    try {
      const html = await (await fetch(`${url}/`, { headers: { Cookie: cookie } })).text();
      expect(html.match(/<\/script>/g)).toHaveLength(1);
      expect(html).not.toContain('<script>');
      expect(pageSession(html)).toMatchObject({ user: { name } });
    } finally {
      await post('users.update', { id: me.user.id, name: OWNER.ownerName }, { cookie });
    }
  });

  it('falls back to index.html for client-side routes, but not for missing files', async () => {
    const route = await fetch(`${url}/some/client/route`);
    expect(route.status).toBe(200);
    expect(withoutSession(await route.text())).toBe(INDEX_HTML);
    expect((await fetch(`${url}/missing.js`)).status).toBe(404);
    const asset = await fetch(`${url}/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it.each([
    '/../../etc/passwd',
    '/../../../../../../etc/passwd',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/..%2fstatic-evil%2fsecret.txt',
    '/..%5csecret.txt',
  ])('does not serve files outside the static dir for %s', async (path) => {
    const { status, body } = await rawGet(path);
    expect(status === 404 || status === 400 || withoutSession(body) === INDEX_HTML, `status ${status}`).toBe(
      true,
    );
    expect(body).not.toContain(SECRET);
    expect(body).not.toMatch(/root:.*:0:0:/);
  });
});

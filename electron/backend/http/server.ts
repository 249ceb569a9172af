import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import { type ChannelName, contract } from '../../../shared/contract';
import {
  type ApiError,
  AppError,
  type Envelope,
  HTTP_STATUS,
  noSuchChannel,
  signInFirst,
} from '../../../shared/contract/envelope';
import { CONTRACT_HEADER, CONTRACT_VERSION } from '../../../shared/contract/version';
import type { Logger } from '../logger';
import type { CallSession } from '../router/handler';
import { callForText, type Router } from '../router/router';
import { contractMismatch } from './contract-handshake';
import { DEVICE_COOKIE, deviceCookie, readCookie, sessionCookie } from './cookies';
import { requestToken } from './credentials';
import { buildOpenApi } from './openapi';
import { pageSessionBlock } from './page-session';
import { readJsonBody } from './read-json';
import { hostAllowList, requestPath } from './request-target';
import { serveStatic } from './static-files';

/** The console's server: plain HTTP, or HTTPS in team mode. */
export type ConsoleServer = Server | HttpsServer;

export interface TlsFiles {
  /** PEM certificate (chain) and private key, as read from --tls-cert and --tls-key. */
  cert: Buffer;
  key: Buffer;
}

export interface HttpOptions {
  router: Router;
  logger: Logger;
  /** The built renderer (out/renderer). */
  staticDir: string;
  version: string;
  /** Serve HTTPS with these; the session cookie is then marked Secure. */
  tls?: TlsFiles;
  /** Host names (or addresses) this server answers to besides the loopback ones: --host, --public-url. */
  hostNames?: readonly string[];
}

/** Response headers; Set-Cookie may come more than once (the session and the device cookie). */
type Headers = Record<string, string | string[]>;

function sendJsonText(res: ServerResponse, status: number, json: string, headers: Headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(json);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}) {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

function sendEnvelope(res: ServerResponse, envelope: Envelope<unknown>, headers: Headers = {}) {
  sendJson(res, envelope.ok ? 200 : HTTP_STATUS[envelope.error.code], envelope, headers);
}

/** A browser sends Origin on cross-site POSTs; refuse any that is not this server, whatever the cookie says. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** What the request log may name: who, never with what credential. */
interface RequestNote {
  /**
   * Taken when the request comes in: by the time its answer is logged the socket may be gone, and
   * with it `req.socket` (null) and its address.
   */
  readonly clientAddress: string | undefined;
  userId?: string;
}

/**
 * Why a call is refused before a byte of its body is read, or nothing: a channel the contract does
 * not declare, or one that needs a session from a request that carries no credential. Both are
 * the router's own answers, given without the body's cost (reading, parsing, copying to a thread),
 * which anyone who can reach the server could otherwise make it pay, again and again, for nothing.
 */
function refusedUnread(channel: string, token: string | null): ApiError | undefined {
  const spec = Object.hasOwn(contract, channel) ? contract[channel as ChannelName] : undefined;
  if (!spec) return noSuchChannel(channel).toApiError();
  if (spec.permission !== 'public' && token === null) return signInFirst().toApiError();
  return undefined;
}

export function createHttpHandler({ router, logger, staticDir, version, tls, hostNames = [] }: HttpOptions) {
  const allowedHost = hostAllowList(hostNames);
  // Built at its first request: ~140 ms of schema conversion that every start of serve paid, and few servers are asked.
  let openApi: string | undefined;
  const versions = { app: version, contract: CONTRACT_VERSION };

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string, note: RequestNote) {
    if (req.method !== 'POST') {
      sendEnvelope(res, { ok: false, error: { code: 'NOT_FOUND', message: `Call ${channel} with POST.` } });
      return;
    }
    const mismatch = contractMismatch(req.headers[CONTRACT_HEADER]);
    if (mismatch) {
      sendEnvelope(res, { ok: false, error: mismatch });
      return;
    }
    // Bearer clients are no browser form, but a page on another site can still send one with fetch.
    if (!sameOrigin(req)) {
      sendEnvelope(res, {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Cross-origin requests are refused.' },
      });
      return;
    }
    const token = requestToken(req, tls !== undefined);
    const refusal = refusedUnread(channel, token);
    if (refusal) {
      // The body stays unread: the connection cannot carry another request after it.
      sendEnvelope(res, { ok: false, error: refusal }, { Connection: 'close' });
      return;
    }
    let input: unknown;
    try {
      input = await readJsonBody(req);
    } catch (error) {
      const apiError =
        error instanceof AppError
          ? error.toApiError()
          : { code: 'VALIDATION' as const, message: 'Unreadable request body.' };
      sendEnvelope(res, { ok: false, error: apiError }, { Connection: 'close' });
      return;
    }
    const cookies: string[] = [];
    const session: CallSession = {
      token,
      // A remote client (Bearer) reads its new session token from this header too.
      setToken: (newToken) => void cookies.push(sessionCookie(newToken, tls !== undefined)),
      clientAddress: note.clientAddress,
      deviceSecret: readCookie(req.headers.cookie, DEVICE_COOKIE),
      setDeviceSecret: (secret) => void cookies.push(deviceCookie(secret, tls !== undefined)),
      identified: (userId) => {
        note.userId = userId;
      },
    };
    const answer = await callForText(router, channel, input, session);
    const headers: Headers = cookies.length > 0 ? { 'Set-Cookie': cookies } : {};
    const retryAfter = (answer.error?.details as { retryAfterSeconds?: number } | undefined)
      ?.retryAfterSeconds;
    if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
    sendJsonText(res, answer.error ? HTTP_STATUS[answer.error.code] : 200, answer.json, headers);
  }

  /** What session.current would answer this request's cookie, for the page to start with; nothing if it fails. */
  async function pageHead(req: IncomingMessage, note: RequestNote): Promise<string> {
    const envelope = await router.call(
      'session.current',
      {},
      {
        token: requestToken(req, tls !== undefined),
        // session.current sets no cookie; a page load is no place to start doing so.
        setToken: () => {},
        clientAddress: note.clientAddress,
        deviceSecret: readCookie(req.headers.cookie, DEVICE_COOKIE),
        identified: (userId) => {
          note.userId = userId;
        },
      },
    );
    return envelope.ok ? pageSessionBlock(envelope.data) : '';
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, note: RequestNote) {
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (!allowedHost(req.headers.host)) {
      // DNS rebinding: a page on a name that resolves to this machine is still that name's page.
      sendJson(res, 421, {
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: 'This server does not answer to that host name. Start it with --public-url to add one.',
        },
      });
    } else if (req.method === 'OPTIONS') {
      // CORS stays closed: no preflight is ever granted, and no Access-Control-* header is sent.
      sendEnvelope(res, {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Cross-origin requests are refused.' },
      });
    } else if (path === '/api/openapi.json' && isGet) {
      openApi ??= JSON.stringify(buildOpenApi(contract, version, tls !== undefined));
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(openApi);
    } else if (path === '/api/version' && isGet) {
      sendJson(res, 200, versions);
    } else if (path.startsWith('/api/')) {
      const name = path.slice('/api/'.length);
      // A malformed escape names no channel: NOT_FOUND from the router, not a 500.
      let channel = name;
      try {
        channel = decodeURIComponent(name);
      } catch {}
      await handleApi(req, res, channel, note);
    } else if (isGet) {
      await serveStatic(staticDir, path, req, res, () => pageHead(req, note));
    } else {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    }
  }

  /** Never rejects: whatever a request does, it ends in an answer (or a dropped connection), not a crash. */
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = requestPath(req.url);
    const note: RequestNote = { clientAddress: req.socket.remoteAddress };
    res.once('finish', () =>
      logger.info('request', {
        method: req.method,
        // Capped: an overlong path is no reason for an overlong log line.
        path: path === null ? '(not a path)' : path.slice(0, 300),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        ip: note.clientAddress,
        userId: note.userId,
      }),
    );
    try {
      if (path === null) {
        res.writeHead(400, { 'Content-Type': 'text/plain', Connection: 'close' }).end('Bad request target');
      } else {
        await route(req, res, path, note);
      }
    } catch (error) {
      logger.error('request failed', {
        path: path?.slice(0, 300),
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent)
        sendEnvelope(
          res,
          { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } },
          { Connection: 'close' },
        );
      else res.destroy();
    }
  };
}

export async function listen(server: ConsoleServer, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${server instanceof TlsServer ? 'https' : 'http'}://${shownHost}:${address.port}`;
}

/** HTTP, or HTTPS when given a certificate and key (which must then load, or this throws). */
export function createHttpServer(options: HttpOptions): ConsoleServer {
  const handler = createHttpHandler(options);
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createServer(handler);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

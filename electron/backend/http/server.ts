import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract } from '../../../shared/contract';
import { AppError, type Envelope, HTTP_STATUS } from '../../../shared/contract/envelope';
import { CONTRACT_VERSION } from '../../../shared/contract/version';
import type { Logger } from '../logger';
import type { Router } from '../router/router';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies';
import { buildOpenApi } from './openapi';
import { readJsonBody } from './read-json';
import { serveStatic } from './static-files';

export interface HttpOptions {
  router: Router;
  logger: Logger;
  /** The built renderer (out/renderer). */
  staticDir: string;
  version: string;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendEnvelope(
  res: ServerResponse,
  envelope: Envelope<unknown>,
  headers: Record<string, string> = {},
) {
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

/** A remote client (team mode) sends its token as `Authorization: Bearer …` instead of a cookie. */
function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

export function createHttpHandler({ router, logger, staticDir, version }: HttpOptions) {
  const openApi = JSON.stringify(buildOpenApi(contract, version));

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (req.method !== 'POST') {
      sendEnvelope(res, { ok: false, error: { code: 'NOT_FOUND', message: `Call ${channel} with POST.` } });
      return;
    }
    if (!sameOrigin(req)) {
      sendEnvelope(res, {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Cross-origin requests are refused.' },
      });
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
    const headers: Record<string, string> = {};
    const envelope = await router.call(channel, input, {
      token: readCookie(req.headers.cookie, SESSION_COOKIE) ?? bearerToken(req),
      setToken: (token) => {
        headers['Set-Cookie'] = sessionCookie(token, false);
      },
    });
    sendEnvelope(res, envelope, headers);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.once('finish', () =>
      logger.info('request', {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      }),
    );
    try {
      if (path === '/api/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(openApi);
      } else if (path === '/api/version' && req.method === 'GET') {
        sendJson(res, 200, { app: version, contract: CONTRACT_VERSION });
      } else if (path.startsWith('/api/')) {
        const name = path.slice('/api/'.length);
        // A malformed escape names no channel: NOT_FOUND from the router, not a 500.
        let channel = name;
        try {
          channel = decodeURIComponent(name);
        } catch {}
        await handleApi(req, res, channel);
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        await serveStatic(staticDir, req, res);
      } else {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      }
    } catch (error) {
      logger.error('request failed', { path, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent)
        sendEnvelope(res, {
          ok: false,
          error: { code: 'INTERNAL', message: 'Something went wrong on our side.' },
        });
      else res.destroy();
    }
  };
}

export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

export function createHttpServer(options: HttpOptions): Server {
  const server = createServer(createHttpHandler(options));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

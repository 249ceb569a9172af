import type { IncomingMessage } from 'node:http';
import { readCookie, sessionCookieName } from './cookies';

/**
 * The token a request authenticates with: `Authorization: Bearer …` (a session token or an API
 * token, for programmatic clients) or else the browser's session cookie (`secure`: its name over
 * TLS). Any other scheme in Authorization is not ours and is ignored.
 */
export function requestToken(req: IncomingMessage, secure: boolean): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1] ?? readCookie(req.headers.cookie, sessionCookieName(secure));
}

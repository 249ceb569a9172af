import { contract } from '../../../shared/contract';
import { type ApiError, type Envelope, ERROR_CODES, noSuchChannel } from '../../../shared/contract/envelope';
import { CONTRACT_HEADER, CONTRACT_VERSION } from '../../../shared/contract/version';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../http/cookies';
import type { CallSession } from '../router/handler';
import { validationError } from '../router/validation';
import { type HttpReply, requestJson } from './http-request';
import { createReadCache } from './read-cache';
import { versionProblem } from './version-check';

export interface RemoteRouterOptions {
  /** The server's origin, e.g. https://orgdeck.example.com. */
  url: string;
  /** Extra trusted certificate(s) in PEM for a self-signed server (NODE_EXTRA_CA_CERTS also works). */
  ca?: string | Buffer;
  now?: () => Date;
  callTimeoutMs?: number;
  /** Waits between reconnection probes while offline; the last one repeats. */
  probeDelaysMs?: readonly number[];
}

export interface RemoteStatus {
  online: boolean;
  /** When the cached answer last shown offline was loaded; null while online. */
  cachedAt: string | null;
  /** Why the server refuses this app (contract version mismatch), or null. */
  problem: string | null;
}

const PROBE_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'data' in value;
  const error = (value as { error?: Partial<ApiError> }).error;
  return typeof error?.message === 'string' && ERROR_CODES.includes(error.code as never);
}

/** The session token a sign-in or sign-out hands back in Set-Cookie; undefined when it sets none. */
function tokenFromSetCookie(reply: HttpReply): string | null | undefined {
  for (const cookie of reply.headers['set-cookie'] ?? []) {
    const [pair = ''] = cookie.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    if (eq > 0 && (name === SESSION_COOKIE || name === SECURE_SESSION_COOKIE)) {
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      return value === '' ? null : value;
    }
  }
  return undefined;
}

const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A server whose certificate is not trusted is reachable, not offline: say what to do instead. */
function untrustedCertificate(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !CERTIFICATE_ERRORS.has(code)) return null;
  return `The server's certificate is not trusted here (${code}). If it comes from your own certificate authority, add that authority's certificate with NODE_EXTRA_CA_CERTS.`;
}

/**
 * A router with the local Router's shape that forwards every channel to an Orgdeck server:
 * input checked here first (bad input never leaves), Bearer token and contract version on every
 * call, reads answered from an in-memory cache while the server is unreachable, writes refused
 * then, and a probe with backoff that brings it back online on its own.
 */
export function createRemoteRouter({
  url,
  ca,
  now = () => new Date(),
  callTimeoutMs = 15_000,
  probeDelaysMs = PROBE_DELAYS_MS,
}: RemoteRouterOptions) {
  const cache = createReadCache();
  let online = true;
  let lastCachedAt: string | null = null;
  let problem: string | null = null;
  let checked = false;
  let probeTimer: NodeJS.Timeout | undefined;
  let probeAttempt = 0;
  let closed = false;

  const getVersion = (timeoutMs: number) =>
    requestJson(new URL('/api/version', url), {
      method: 'GET',
      headers: { [CONTRACT_HEADER]: String(CONTRACT_VERSION) },
      ca,
      timeoutMs,
    });

  function goOnline(reply: HttpReply) {
    online = true;
    lastCachedAt = null;
    problem = versionProblem(reply, url);
    checked = problem === null;
    probeAttempt = 0;
  }

  function goOffline() {
    online = false;
    checked = false;
    if (probeTimer || closed) return;
    const delay = probeDelaysMs[Math.min(probeAttempt, probeDelaysMs.length - 1)] ?? 1_000;
    probeAttempt++;
    probeTimer = setTimeout(() => {
      probeTimer = undefined;
      getVersion(Math.min(callTimeoutMs, 5_000)).then(goOnline, goOffline);
    }, delay);
    // A CLI run must be able to exit while the probe waits.
    probeTimer.unref();
  }

  const offlineAnswer = (name: string, input: unknown, token: string | null): Envelope<unknown> => {
    const spec = contract[name as keyof typeof contract];
    if (spec.kind === 'read') {
      const hit = cache.get(token, name, input);
      if (hit) {
        lastCachedAt = hit.cachedAt;
        return { ok: true, data: hit.data, cachedAt: hit.cachedAt };
      }
      return {
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: `Offline: Orgdeck cannot reach the server at ${url}, and this was not loaded before. It will show once the connection is back.`,
        },
      };
    }
    return {
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: `Offline: Orgdeck cannot reach the server at ${url}, so this change was not saved. Try again once the connection is back.`,
      },
    };
  };

  async function forward(name: string, input: unknown, session: CallSession): Promise<Envelope<unknown>> {
    const token = session.token;
    if (!online) return offlineAnswer(name, input, token);
    let reply: HttpReply;
    try {
      if (!checked) goOnline(await getVersion(callTimeoutMs));
      if (problem) return { ok: false, error: { code: 'VERSION_MISMATCH', message: problem } };
      reply = await requestJson(new URL(`/api/${encodeURIComponent(name)}`, url), {
        method: 'POST',
        headers: {
          [CONTRACT_HEADER]: String(CONTRACT_VERSION),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(input ?? {}),
        ca,
        timeoutMs: callTimeoutMs,
      });
    } catch (error) {
      const certificate = untrustedCertificate(error);
      if (certificate) return { ok: false, error: { code: 'UNAVAILABLE', message: certificate } };
      goOffline();
      return offlineAnswer(name, input, token);
    }
    const envelope = reply.json;
    if (!isEnvelope(envelope)) {
      // A proxy in front of a stopped server answers 502–504 without an envelope: that is offline too.
      if (reply.status >= 502 && reply.status <= 504) {
        goOffline();
        return offlineAnswer(name, input, token);
      }
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `The server at ${url} answered HTTP ${reply.status} without data.`,
        },
      };
    }
    if (!envelope.ok && envelope.error.code === 'VERSION_MISMATCH') {
      problem = envelope.error.message;
      checked = false;
    }
    const newToken = tokenFromSetCookie(reply);
    if (newToken !== undefined) {
      cache.forget(token);
      session.setToken(newToken);
      // Who signed in is known now: a restart of the page while offline can still show them.
      if (envelope.ok && newToken !== null && name === 'session.signIn') {
        const { user } = envelope.data as { user: unknown };
        cache.put(
          newToken,
          'session.current',
          {},
          { user, needsSetup: false, setupCodeRequired: false },
          now().toISOString(),
        );
      }
    }
    if (envelope.ok && contract[name as keyof typeof contract].kind === 'read') {
      cache.put(token, name, input, envelope.data, now().toISOString());
    }
    return envelope;
  }

  const status = (): RemoteStatus => ({ online, cachedAt: online ? null : lastCachedAt, problem });

  return {
    channels: Object.keys(contract),
    async call(name: string, rawInput: unknown, session: CallSession): Promise<Envelope<unknown>> {
      if (!Object.hasOwn(contract, name) || name.startsWith('connection.')) {
        return { ok: false, error: noSuchChannel(name).toApiError() };
      }
      const spec = contract[name as keyof typeof contract];
      const parsed = spec.input.safeParse(rawInput === undefined || rawInput === null ? {} : rawInput);
      if (!parsed.success) return { ok: false, error: validationError(parsed.error).toApiError() };
      return forward(name, rawInput ?? {}, session);
    },
    status,
    /** Asks the server now (without waiting for the next probe): used by `remote status`. */
    async check(): Promise<RemoteStatus & { server: unknown }> {
      try {
        const reply = await getVersion(callTimeoutMs);
        goOnline(reply);
        return { ...status(), server: reply.json };
      } catch {
        goOffline();
        return { ...status(), server: null };
      }
    },
    close(): void {
      closed = true;
      clearTimeout(probeTimer);
      probeTimer = undefined;
    },
  };
}

export type RemoteRouter = ReturnType<typeof createRemoteRouter>;

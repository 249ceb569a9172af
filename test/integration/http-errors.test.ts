import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { keepServingThroughUncaughtErrors } from '../../electron/backend/http/keep-serving';
import { createHttpServer, listen } from '../../electron/backend/http/server';
import { jsonLogger } from '../../electron/backend/logger';
import type { Router } from '../../electron/backend/router/router';
import { CONTRACT_HEADER, CONTRACT_VERSION } from '../../shared/contract/version';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** The real HTTP server over a router whose every call fails the way `fail` does. */
async function serveFailing(fail: () => Promise<never>) {
  const lines: string[] = [];
  const router = { call: fail } as unknown as Router;
  server = createHttpServer({
    router,
    logger: jsonLogger((line) => void lines.push(line)),
    staticDir: '/nonexistent',
    version: '1.0.0',
  }) as Server;
  const url = await listen(server, 0, '127.0.0.1');
  const response = await fetch(`${url}/api/orgs.list`, {
    method: 'POST',
    // A credential, or the server refuses the call before the router is asked.
    headers: {
      'Content-Type': 'application/json',
      [CONTRACT_HEADER]: String(CONTRACT_VERSION),
      Authorization: 'Bearer not-checked-by-this-router',
    },
    body: '{}',
  });
  const text = await response.text();
  const after = await fetch(`${url}/api/version`);
  return { status: response.status, text, lines, versionStatus: after.status };
}

describe('a handler that fails', () => {
  for (const [how, fail] of [
    [
      'throws',
      () => {
        throw new Error('boom at /secret/path.ts:12');
      },
    ],
    ['rejects', () => Promise.reject(new TypeError('cannot read x of undefined'))],
    ['rejects with a non-error', () => Promise.reject('plain string')],
  ] as const) {
    it(`${how}: 500 INTERNAL without its insides, logged once, and the server answers on`, async () => {
      const answer = await serveFailing(fail as () => Promise<never>);
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.text)).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: 'Something went wrong on our side.' },
      });
      expect(answer.text).not.toMatch(/boom|secret|undefined|plain string|\s{4}at /);
      expect(answer.lines.filter((line) => line.includes('"request failed"'))).toHaveLength(1);
      expect(answer.versionStatus).toBe(200);
    });
  }
});

describe('an error nothing caught while serving', () => {
  it('is logged once and does not end the process, until serving stops', () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    const stop = keepServingThroughUncaughtErrors(
      jsonLogger((line) => void lines.push(line)),
      proc,
    );
    proc.emit('uncaughtException', new Error('socket went away'));
    proc.emit('unhandledRejection', new Error('late write'));
    expect(lines.map((line) => JSON.parse(line).error)).toEqual(['socket went away', 'late write']);
    stop();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});

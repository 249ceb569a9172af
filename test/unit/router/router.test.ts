import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { HandlerGroup } from '../../../electron/backend/router/handler';
import { createRouter } from '../../../electron/backend/router/router';
import { LOCAL_OWNER, type Principal } from '../../../electron/backend/services/principal';
import { type ChannelMap, channel } from '../../../shared/contract/channel';
import { newSession, openTestBackend, recordingLogger, type TestBackend } from '../../fixtures/backend';

const testContract = {
  'test.echo': channel({
    summary: 'Echo a number',
    kind: 'read',
    permission: 'public',
    input: z.object({ n: z.number().int() }).strict(),
    output: z.object({ n: z.number().int() }),
  }),
  'test.boom': channel({
    summary: 'Fail',
    kind: 'write',
    permission: 'public',
    input: z.object({}).strict(),
    output: z.object({}),
  }),
  'test.user': channel({
    summary: 'A user',
    kind: 'read',
    permission: 'public',
    input: z.object({}).strict(),
    output: z.object({ id: z.string(), email: z.string() }),
  }),
} satisfies ChannelMap;

/** The handler maps are typed against the real contract; these fake channels need a cast. */
const group = (handlers: Record<string, (input: never) => unknown>) => handlers as unknown as HandlerGroup;

const goodHandlers = {
  'test.echo': ({ n }: { n: number }) => ({ n }),
  'test.boom': () => {
    throw new Error('database exploded at /secret/path');
  },
  'test.user': () => ({ id: 'u1', email: 'a@example.com', password_hash: 'scrypt$secret' }),
};

function testRouter(groups: HandlerGroup[] = [group(goodHandlers)], logger = recordingLogger()) {
  return createRouter({ contract: testContract, groups, principalFor: () => null, logger });
}

describe('createRouter at start-up', () => {
  it('throws when two handler groups register the same channel', () => {
    const { 'test.echo': echo, ...rest } = goodHandlers;
    expect(() => testRouter([group(goodHandlers), group({ 'test.echo': echo })])).toThrow(
      /"test\.echo" has two handlers/,
    );
    expect(() => testRouter([group(rest), group({ 'test.echo': echo })])).not.toThrow();
  });

  it('throws when a handler exists for a channel the contract does not declare', () => {
    expect(() => testRouter([group({ ...goodHandlers, 'test.ghost': () => ({}) })])).toThrow(
      /"test\.ghost", which the contract does not declare/,
    );
  });

  it('throws when a declared channel has no handler', () => {
    const { 'test.boom': _boom, ...rest } = goodHandlers;
    expect(() => testRouter([group(rest)])).toThrow(/No handler for channel\(s\): test\.boom/);
  });
});

describe('router.call', () => {
  it('answers an ok envelope with the handler data', async () => {
    await expect(testRouter().call('test.echo', { n: 7 }, newSession())).resolves.toEqual({
      ok: true,
      data: { n: 7 },
    });
  });

  it.each(['test.nope', 'nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'answers NOT_FOUND for the unknown channel %j',
    async (name) => {
      await expect(testRouter().call(name, {}, newSession())).resolves.toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    },
  );

  it('answers VALIDATION with every issue in details.issues', async () => {
    const envelope = await testRouter().call('test.echo', { n: 'seven', extra: 1 }, newSession());
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (envelope.ok) return;
    const { issues } = envelope.error.details as { issues: { path: (string | number)[]; message: string }[] };
    expect(issues.length).toBeGreaterThanOrEqual(2);
    expect(issues.map((issue) => issue.path)).toContainEqual(['n']);
    expect(envelope.error.message).toMatch(/^n: /);
  });

  it('turns a thrown Error into INTERNAL without its message or stack, and logs it', async () => {
    const logger = recordingLogger();
    const envelope = await testRouter(undefined, logger).call('test.boom', {}, newSession());
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const text = JSON.stringify(envelope);
    expect(text).not.toMatch(/exploded|secret|stack|\s+at /);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]?.fields).toMatchObject({
      channel: 'test.boom',
      error: 'database exploded at /secret/path',
    });
  });

  it('answers INTERNAL when a handler returns data outside its contract', async () => {
    const logger = recordingLogger();
    const router = testRouter(
      [group({ ...goodHandlers, 'test.echo': () => ({ n: 'not a number' }) })],
      logger,
    );
    await expect(router.call('test.echo', { n: 1 }, newSession())).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(logger.errors).toHaveLength(1);
  });

  it('strips fields a handler returns beyond its output schema', async () => {
    const envelope = await testRouter().call('test.user', {}, newSession());
    expect(envelope).toEqual({ ok: true, data: { id: 'u1', email: 'a@example.com' } });
    expect(JSON.stringify(envelope)).not.toContain('password_hash');
  });
});

describe('router permissions', () => {
  let harness: TestBackend;
  const asUser = (): Principal => ({ ...LOCAL_OWNER, userId: 'some-user', role: 'user', memberships: [] });

  beforeAll(() => {
    harness = openTestBackend();
  });

  afterAll(() => harness.cleanup());

  it('answers UNAUTHENTICATED without a token, and with a token no session has', async () => {
    await expect(harness.call('orgs.list', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    const forged = { ...newSession(), token: 'not-a-real-token' };
    await expect(harness.call('orgs.list', {}, forged)).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('lets public channels through without a session', async () => {
    await expect(harness.call('session.current', {})).resolves.toMatchObject({
      ok: true,
      data: { user: null, needsSetup: true },
    });
  });

  it("answers FORBIDDEN to a 'user' creating an org, and creates nothing", async () => {
    const session = { ...newSession(), principal: asUser() };
    await expect(harness.call('orgs.create', { name: 'Sneaky' }, session)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // A user may still read (the orgs of their scope, here none).
    await expect(harness.call('orgs.list', {}, session)).resolves.toEqual({ ok: true, data: [] });
    const owner = { ...newSession(), principal: LOCAL_OWNER };
    const all = await harness.data('orgs.list', {}, owner);
    expect(all.map((org) => org.name)).not.toContain('Sneaky');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import type { ChannelName } from '../../shared/contract';
import { asEveryOrg, tablesOf } from '../fixtures/backend';
import { type BillingWorld, createOrg, openBillingWorld } from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { ownerSession, PASSWORD, tokenSession } from '../fixtures/tenants';

const NOW = '2026-10-15T12:00:00.000Z';
const NOT_VALID = /not valid: it may have expired, been used or been revoked/;

describe('invites', () => {
  let world: BillingWorld;
  let acme: { id: string; slug: string };
  let globex: { id: string; slug: string };

  const answer = async (name: ChannelName, input: unknown, session: CallSession = tokenSession()) =>
    world.backend.router.call(name, input, session);
  /** Every row of the tables an accept writes, to show a refused one wrote nothing. */
  const written = () =>
    asEveryOrg(world.backend, (db) => ({
      counts: db
        .prepare(
          `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM memberships) AS memberships,
             (SELECT count(*) FROM sessions) AS sessions`,
        )
        .get(),
      used: db.prepare('SELECT used_at FROM invites ORDER BY id').pluck().all(),
    }));
  const invite = async (email: string, expiresDays = 7) =>
    world.call('invites.create', { email, memberships: [{ orgId: acme.id, role: 'member' }], expiresDays });

  beforeAll(async () => {
    world = openBillingWorld(NOW);
    acme = await createOrg(world, 'Acme', '40.00');
    globex = await createOrg(world, 'Globex', '40.00');
  });

  afterAll(() => world.cleanup());

  it('creates an invite from the CLI, shows the code once with a link, and stores only its hash', async () => {
    world.backend.close();
    const created = await runCliIn(world.dataDir, [
      'invite',
      'create',
      '--email',
      'new@acme.test',
      '--org',
      acme.slug,
      '--role',
      'viewer',
      '--expires-days',
      '3',
    ]);
    expect(created.code, created.err).toBe(0);
    const code = /Code: (\S+)/.exec(created.out)?.[1] as string;
    expect(created.out).toContain(`Link: http://127.0.0.1:4780/#/invite/${code}`);
    world.reopen();
    const rowsByTable = await asEveryOrg(world.backend, (db) =>
      tablesOf(db).map((table) => [table, JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all())]),
    );
    expect(rowsByTable.find(([table]) => table === 'invites')?.[1]).toContain('new@acme.test');
    for (const [table, rows] of rowsByTable) expect(rows, table).not.toContain(code);
    expect(await runCliIn(world.dataDir, ['invite', 'list'])).toMatchObject({
      code: 0,
      out: expect.stringContaining(`${acme.slug}:viewer`),
    });

    world.backend.close();
    const accepted = await runCliIn(
      world.dataDir,
      ['invite', 'accept', code, '--name', 'Nia New', '--password-stdin'],
      PASSWORD,
    );
    expect(accepted.code, accepted.err).toBe(0);
    // The second use of the same code fails, and writes nothing.
    const again = await runCliIn(
      world.dataDir,
      ['invite', 'accept', code, '--name', 'Other', '--password-stdin'],
      PASSWORD,
    );
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(NOT_VALID);
    world.reopen();

    const session = tokenSession();
    await world.call('session.signIn', { email: 'new@acme.test', password: PASSWORD }, session);
    const current = await world.call('session.current', {}, session);
    expect(current.user?.memberships).toEqual([{ orgId: acme.id, role: 'viewer' }]);
    expect(current.user?.boundOrgId).toBe(acme.id);
    const trail = await world.call('audit.list', { org: acme.id, action: 'member' });
    expect(trail.items.map((entry) => entry.action).sort()).toEqual(['member.invited', 'member.joined']);
  });

  it('answers the same error for a used, an expired, a revoked and an unknown code, writing nothing', async () => {
    const used = await invite('used@acme.test');
    expect((await answer('invites.accept', { code: used.code, name: 'U', password: PASSWORD })).ok).toBe(
      true,
    );
    const expired = await invite('late@acme.test', 1);
    const revoked = await invite('gone@acme.test');
    await world.call('invites.revoke', { id: revoked.invite.id });
    world.clock.set('2026-10-16T12:00:01.000Z');
    const before = await written();
    for (const code of [used.code, expired.code, revoked.code, 'odi_not-a-code']) {
      const refused = await answer('invites.accept', { code, name: 'Someone', password: PASSWORD });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: expect.stringMatching(NOT_VALID) },
      });
    }
    expect(await written()).toEqual(before);
    const statuses = (await world.call('invites.list', {})).map((row) => [row.email, row.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['used@acme.test', 'used'],
        ['late@acme.test', 'expired'],
        ['gone@acme.test', 'revoked'],
      ]),
    );
    const revokedTrail = await world.call('audit.list', { org: acme.id, action: 'invite' });
    expect(revokedTrail.items.map((entry) => entry.action)).toEqual(['invite.revoked']);
  });

  it('accepts one of three simultaneous uses of a code, refusing the others without a server error', async () => {
    world.clock.set(NOW);
    const { code } = await invite('twice@acme.test');
    const usersBefore = ((await written()) as { counts: { users: number } }).counts.users;
    // All three pass the first checks while the first one's password is still being hashed.
    const answers = await Promise.all(
      ['First', 'Second', 'Third'].map((name) =>
        answer('invites.accept', { code, name, password: PASSWORD }),
      ),
    );
    expect(answers.filter((envelope) => envelope.ok)).toHaveLength(1);
    for (const refused of answers.filter((envelope) => !envelope.ok)) {
      expect(refused).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^(NOT_FOUND|CONFLICT)$/) },
      });
    }
    expect(((await written()) as { counts: { users: number } }).counts.users).toBe(usersBefore + 1);
  });

  it('adds an invite’s memberships to an existing account once it signs in', async () => {
    world.clock.set(NOW);
    await world.call('users.create', {
      email: 'staff@msp.test',
      name: 'Staff',
      role: 'user',
      password: PASSWORD,
    });
    await world.call('members.put', { email: 'staff@msp.test', orgId: acme.id, role: 'member' });
    const { code } = await world.call('invites.create', {
      email: 'staff@msp.test',
      memberships: [{ orgId: globex.id, role: 'viewer' }],
    });
    expect(await answer('invites.accept', { code, name: 'Staff', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const session = tokenSession();
    await world.call('session.signIn', { email: 'staff@msp.test', password: PASSWORD }, session);
    const joined = await world.call('invites.join', { code }, session);
    expect(joined.user.memberships).toEqual(
      expect.arrayContaining([
        { orgId: acme.id, role: 'member' },
        { orgId: globex.id, role: 'viewer' },
      ]),
    );
    expect((await answer('invites.join', { code }, session)).ok).toBe(false);
  });

  it('lets a manager invite into their own org up to member, and nowhere else', async () => {
    await world.call('users.create', {
      email: 'boss@acme.test',
      name: 'Boss',
      role: 'user',
      password: PASSWORD,
    });
    await world.call('members.put', { email: 'boss@acme.test', orgId: acme.id, role: 'manager' });
    const session = tokenSession();
    await world.call('session.signIn', { email: 'boss@acme.test', password: PASSWORD }, session);
    const asManager = (orgId: string, role: string) =>
      answer('invites.create', { email: 'hire@acme.test', memberships: [{ orgId, role }] }, session);
    expect(await asManager(acme.id, 'manager')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await asManager(globex.id, 'member')).toMatchObject({ ok: false });
    expect(await asManager(acme.id, 'member')).toMatchObject({ ok: true });
    expect(
      await answer(
        'invites.create',
        {
          email: 'x@acme.test',
          memberships: [{ orgId: acme.id, role: 'member' }],
          expiresDays: 31,
        },
        ownerSession(),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});

describe('member commands', () => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = openBillingWorld(NOW);
    await createOrg(world, 'Acme', '40.00');
    await createOrg(world, 'Globex', '40.00');
    world.backend.close();
  });

  afterAll(() => world.cleanup());

  it('keeps `user create --org` (one member membership) and adds, lists and removes memberships', async () => {
    const run = (args: string[], stdin = '') => runCliIn(world.dataDir, args, stdin);
    const created = await run(
      [
        'user',
        'create',
        '--email',
        'ops@acme.test',
        '--name',
        'Ops',
        '--role',
        'user',
        '--org',
        'acme',
        '--password-stdin',
      ],
      PASSWORD,
    );
    expect(created.code, created.err).toBe(0);
    expect((await run(['member', 'add', 'ops@acme.test', '--org', 'globex', '--role', 'viewer'])).out).toBe(
      'ops@acme.test is now viewer in globex.',
    );
    const listed = JSON.parse((await run(['member', 'list', '--json'])).out) as {
      orgSlug: string;
      role: string;
    }[];
    expect(listed.map((m) => [m.orgSlug, m.role])).toEqual([
      ['acme', 'member'],
      ['globex', 'viewer'],
    ]);
    expect((await run(['member', 'remove', 'ops@acme.test', '--org', 'acme'])).code).toBe(0);
    expect((await run(['member', 'list', '--org', 'acme', '--json'])).out).toBe('[]');
    const bad = await run([
      'member',
      'add',
      'ops@acme.test',
      '--org',
      'acme',
      '--all-orgs',
      '--role',
      'viewer',
    ]);
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('either --org SLUG or --all-orgs') });
    const users = (await run(['user', 'list'])).out;
    expect(users).toContain('globex:viewer');
  });
});

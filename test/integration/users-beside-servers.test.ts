import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectPostgresClient } from '../../electron/backend/store/postgres/connection';
import { asEveryOrg, onPostgresProject } from '../fixtures/backend';
import { type BillingWorld, openBillingWorld } from '../fixtures/billing';
import { onceWaitedOn } from '../fixtures/postgres-lock-waits';
import { ownerSession, PASSWORD, tokenSession } from '../fixtures/tenants';

const NOW = '2026-10-15T12:00:00.000Z';

// Servers sharing a PostgreSQL database each refuse to take away the last active owner; two of
// them taking away one owner each, at once, must not leave none; and a change of a user made on one
// is not written over by another server's change of the same user. On SQLite one writer orders them.
describe.skipIf(!onPostgresProject())('users changed beside another server on PostgreSQL', () => {
  let world: BillingWorld;
  let other: pg.Client | undefined;

  beforeEach(() => {
    world = openBillingWorld(NOW);
  });
  afterEach(async () => {
    await other?.end();
    other = undefined;
    world.cleanup();
  });

  const userNamed = async (email: string, role: 'owner' | 'admin') =>
    (
      await world.call('users.create', {
        email,
        name: email.split('@')[0],
        role,
        pages: [],
        password: PASSWORD,
      })
    ).id;

  /** A session of `email`'s, signed in with the test password. */
  async function signedIn(email: string) {
    const session = tokenSession();
    await world.call('session.signIn', { email, password: PASSWORD }, session);
    return session;
  }

  /** Another server's connection, seeing every org, in a transaction it has begun. */
  async function otherServerBegins(): Promise<pg.Client> {
    other = await connectPostgresClient(world.backend.store.postgres?.url as string);
    const orgIds = await asEveryOrg(world.backend, () => world.backend.store.orgs.ids());
    await other.query(
      "SELECT set_config('orgdeck.org_ids', $1, false), set_config('orgdeck.msp_wide', 'on', false)",
      [orgIds.join(',')],
    );
    await other.query('BEGIN');
    return other;
  }

  const activeOwners = () => asEveryOrg(world.backend, () => world.backend.store.users.activeOwners());

  it.each([
    ['demoted', 'users.update', { role: 'admin' }],
    ['disabled', 'users.disable', {}],
    ['deleted', 'users.delete', {}],
  ] as const)(
    'refuses to leave no owner when another server takes the other away meanwhile (%s)',
    async (losing, channel, change) => {
      const olivia = await userNamed('olivia@example.com', 'owner');
      const oscar = await userNamed('oscar@example.com', 'owner');
      expect(await activeOwners()).toBe(2);

      // Another server demotes Olivia as this code does: it counts the active owners (two), then
      // demotes her, and has not committed yet.
      const server = await otherServerBegins();
      const counted = await server.query<{ n: string }>(
        "SELECT count(*) AS n FROM (SELECT id FROM users WHERE role = 'owner' AND disabled = 0 FOR UPDATE) owners",
      );
      expect(Number(counted.rows[0]?.n)).toBe(2);
      await server.query("UPDATE users SET role = 'admin' WHERE id = $1", [olivia]);
      // It commits once this server waits for it, or after 5 s if nothing does.
      const committed = server.query(`${onceWaitedOn(5, { orAfter: true })} COMMIT`);

      const answer = await world.backend.router.call(channel, { id: oscar, ...change }, ownerSession());
      await committed;

      expect(answer.ok ? 'accepted' : answer.error).toMatchObject({
        code: 'CONFLICT',
        message: `This is the last active owner, who cannot be ${losing}: transfer ownership first.`,
      });
      expect(await activeOwners()).toBe(1);
    },
  );
  it('hands ownership to nobody disabled: a transfer waits for another server disabling its new owner, and is refused', async () => {
    const olivia = await userNamed('olivia@example.com', 'owner');
    const carol = await userNamed('carol@example.com', 'admin');
    const session = await signedIn('olivia@example.com');

    // Another server disables Carol, as this code does (the owners, then her row, locked), and has
    // not committed yet.
    const server = await otherServerBegins();
    await server.query(
      "SELECT count(*) FROM (SELECT id FROM users WHERE role = 'owner' AND disabled = 0 ORDER BY id FOR UPDATE) owners",
    );
    await server.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [carol]);
    await server.query('UPDATE users SET disabled = 1 WHERE id = $1', [carol]);
    const committed = server.query(`${onceWaitedOn(5, { orAfter: true })} COMMIT`);

    const answer = await world.backend.router.call('ownership.transfer', { userId: carol }, session);
    await committed;

    expect(answer.ok ? 'accepted' : answer.error).toMatchObject({
      code: 'CONFLICT',
      message: 'carol is disabled: enable them first.',
    });
    const users = await asEveryOrg(world.backend, () => [
      world.backend.store.users.byId(olivia),
      world.backend.store.users.byId(carol),
    ]);
    expect(users.map((user) => [user?.role, user?.disabled])).toEqual([
      ['owner', 0],
      ['admin', 1],
    ]);
  });
  it('keeps another server’s disable of a user who sets up two-factor sign-in meanwhile', async () => {
    const dana = await userNamed('dana@example.com', 'admin');
    const session = await signedIn('dana@example.com');

    // Another server disables Dana (her row locked, written, not committed) as she starts.
    const server = await otherServerBegins();
    await server.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [dana]);
    await server.query('UPDATE users SET disabled = 1 WHERE id = $1', [dana]);
    const committed = server.query(`${onceWaitedOn(5, { orAfter: true })} COMMIT`);

    await world.backend.router.call('twoFactor.begin', {}, session);
    await committed;

    const row = await asEveryOrg(world.backend, () => world.backend.store.users.byId(dana));
    expect(row?.disabled).toBe(1);
  });

  it('purges an org with its users while another server changes one of them, neither waiting on the other', async () => {
    const org = await world.call('orgs.create', { name: 'Goneco' });
    for (const email of ['gus@goneco.test', 'gina@goneco.test'])
      await world.call('users.create', {
        email,
        name: email.split('@')[0],
        role: 'user',
        memberships: [{ orgId: org.id, role: 'member' }],
        password: PASSWORD,
      });
    await world.call('orgs.delete', { id: org.id, confirmName: 'Goneco' });
    world.clock.set('2026-11-20T12:00:00.000Z');
    const purgedUsers = await asEveryOrg(world.backend, () => world.backend.store.users.onlyIn(org.id));
    expect(purgedUsers).toHaveLength(2);

    // Another server changes the user the purge deletes last (her row locked and written), then,
    // once this server waits for it, writes its trail entry (the trail's head locked) and commits.
    const server = await otherServerBegins();
    await server.query("UPDATE users SET name = 'renamed' WHERE id = $1", [purgedUsers[1]]);
    const committed = server.query(
      `${onceWaitedOn(5)} SELECT last_id FROM audit_chain_head WHERE id = 1 FOR UPDATE; COMMIT`,
    );

    // Deleting her after the first user's entry, the purge held the trail's head she waited for:
    // PostgreSQL broke the deadlock by failing one of the two.
    expect(await asEveryOrg(world.backend, () => world.backend.services.orgs.purgeExpired())).toBe(1);
    await expect(committed).resolves.toBeDefined();
    const left = await asEveryOrg(world.backend, () =>
      purgedUsers.map((id) => world.backend.store.users.byId(id)),
    );
    expect(left).toEqual([undefined, undefined]);
  });
  it('purges an org while another server changes the memberships of a user it shares with another org', async () => {
    const org = await world.call('orgs.create', { name: 'Goneco' });
    const stays = await world.call('orgs.create', { name: 'Staysco' });
    await world.call('users.create', {
      email: 'gus@goneco.test',
      name: 'gus',
      role: 'user',
      memberships: [{ orgId: org.id, role: 'member' }],
      password: PASSWORD,
    });
    const sam = await world.call('users.create', {
      email: 'sam@staysco.test',
      name: 'sam',
      role: 'user',
      memberships: [
        { orgId: org.id, role: 'member' },
        { orgId: stays.id, role: 'member' },
      ],
      password: PASSWORD,
    });
    await world.call('orgs.delete', { id: org.id, confirmName: 'Goneco' });
    world.clock.set('2026-11-20T12:00:00.000Z');

    // Another server sets Sam's memberships anew (his rows locked and deleted), then, once this
    // server waits for it, writes its trail entry and commits.
    const server = await otherServerBegins();
    await server.query('DELETE FROM memberships WHERE user_id = $1', [sam.id]);
    await server.query(
      "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES ($1, $2, 'manager', '2026-11-20T12:00:00.000Z')",
      [sam.id, stays.id],
    );
    const committed = server.query(
      `${onceWaitedOn(5)} SELECT last_id FROM audit_chain_head WHERE id = 1 FOR UPDATE; COMMIT`,
    );

    // The purge waits for his membership in Goneco, which goes with it. Had it written Gus's entry
    // (the trail's head locked) before, the two would wait for each other until PostgreSQL failed one.
    expect(await asEveryOrg(world.backend, () => world.backend.services.orgs.purgeExpired())).toBe(1);
    await expect(committed).resolves.toBeDefined();
    const after = await asEveryOrg(world.backend, () => ({
      orgs: world.backend.store.orgs.ids(),
      memberships: world.backend.store.memberships.ofUser(sam.id),
    }));
    expect(after.orgs).not.toContain(org.id);
    expect(after.memberships.map((m) => [m.org_id, m.role])).toEqual([[stays.id, 'manager']]);
    expect(await world.call('audit.verify', {})).toMatchObject({ intact: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import type { ChannelName } from '../../shared/contract';
import { type MembershipRole, PAGES } from '../../shared/domain/permissions';
import { type BillingWorld, createOrg, margins, openBillingWorld, orgIn } from '../fixtures/billing';
import { ownerSession, PASSWORD, tokenSession } from '../fixtures/tenants';

const NOW = '2026-10-15T12:00:00.000Z';

describe('roles per organization', () => {
  let world: BillingWorld;
  let acme: { id: string };
  let globex: { id: string };
  let initech: { id: string };
  let agentId: string;
  const sessions = new Map<string, CallSession>();

  /** A `user` holding the given roles, signed in. */
  async function userWith(email: string, held: [string, MembershipRole][]): Promise<CallSession> {
    // Every page, so what refuses a call is the role, not a page permission.
    await world.call('users.create', {
      email,
      name: email.split('@')[0],
      role: 'user',
      pages: [...PAGES],
      password: PASSWORD,
    });
    for (const [orgId, role] of held) await world.call('members.put', { email, orgId, role });
    const session = tokenSession();
    await world.call('session.signIn', { email, password: PASSWORD }, session);
    sessions.set(email, session);
    return session;
  }

  const refusal = async (name: ChannelName, input: unknown, session: CallSession) => {
    const envelope = await world.backend.router.call(name, input, session);
    return envelope.ok ? 'accepted' : envelope.error.code;
  };
  const septemberRevenue = async () => orgIn(await margins(world, '2026-09'), acme.id).revenue;

  beforeAll(async () => {
    world = openBillingWorld(NOW);
    acme = await createOrg(world, 'Acme', '305.00');
    globex = await createOrg(world, 'Globex', '10.00');
    initech = await createOrg(world, 'Initech', '10.00');
    const agent = await world.call('agents.create', { name: 'Support', handle: 'support', orgId: acme.id });
    agentId = agent.id;
    await world.call('agents.assign', {
      agentIds: [agentId],
      orgId: acme.id,
      at: '2026-09-01T00:00:00.000Z',
      move: true,
    });
  });

  afterAll(() => world.cleanup());

  it('refuses a member and a manager every money change, and the org’s revenue stays', async () => {
    // The agent joined Acme on the 1st of September (re-dated above): the whole month at $305.
    const before = await septemberRevenue();
    const manager = await userWith('manager@acme.test', [[acme.id, 'manager']]);
    const member = await userWith('member@acme.test', [[acme.id, 'member']]);
    for (const session of [manager, member]) {
      expect(await refusal('agents.update', { id: agentId, rate: '1.00' }, session)).toBe('FORBIDDEN');
      expect(
        await refusal(
          'agents.create',
          { name: 'Cheap', handle: 'cheap', orgId: acme.id, rate: '0.01' },
          session,
        ),
      ).toBe('FORBIDDEN');
      expect(await refusal('orgs.update', { id: acme.id, rate: '1.00' }, session)).toBe('FORBIDDEN');
      expect(await refusal('orgs.update', { id: acme.id, budget: '5.00' }, session)).toBe('FORBIDDEN');
      expect(await refusal('orgs.update', { id: acme.id, billingMode: 'full_month' }, session)).toBe(
        'FORBIDDEN',
      );
      expect(await refusal('prices.set', { model: 'gpt-4o', input: '1', output: '1' }, session)).toBe(
        'FORBIDDEN',
      );
      expect(await refusal('billing.margins', { month: '2026-09' }, session)).toBe('FORBIDDEN');
    }
    expect(await septemberRevenue()).toBe(before);
    const agent = await world.call('agents.get', { id: agentId });
    expect(agent.rate).toBeNull();
    expect((await world.call('agents.list', { search: 'cheap' })).total).toBe(0);
  });

  it('lets a manager run the org’s agents as of now, and a member only look', async () => {
    const manager = sessions.get('manager@acme.test') as CallSession;
    const member = sessions.get('member@acme.test') as CallSession;
    expect(await refusal('agents.update', { id: agentId, status: 'paused' }, member)).toBe('FORBIDDEN');
    expect(await refusal('agents.update', { id: agentId, status: 'paused' }, manager)).toBe('accepted');
    expect((await world.call('agents.get', { id: agentId })).status).toBe('paused');
    // Sending the rate it already has is no change of it.
    expect(await refusal('agents.update', { id: agentId, status: 'active', rate: null }, manager)).toBe(
      'accepted',
    );
  });

  it('shows a user with memberships in two of three orgs exactly those two, and NOT_FOUND for the third', async () => {
    const staff = await userWith('staff@msp.test', [
      [acme.id, 'member'],
      [globex.id, 'viewer'],
    ]);
    const listed = await world.call('orgs.list', {}, staff);
    expect(listed.map((org) => org.name).sort()).toEqual(['Acme', 'Globex']);
    expect(await refusal('orgs.get', { id: initech.id }, staff)).toBe('NOT_FOUND');
    const current = await world.call('session.current', {}, staff);
    expect(current.user?.memberships.map((m) => m.role).sort()).toEqual(['member', 'viewer']);
    expect(current.user?.boundOrgId).toBeNull();
    // The role in effect is the targeted org's: a member of Acme writes there, a viewer of Globex does not.
    expect(await refusal('knowledge.add', { orgId: acme.id, title: 'Runbook', body: 'x' }, staff)).toBe(
      'accepted',
    );
    expect(await refusal('knowledge.add', { orgId: globex.id, title: 'Runbook', body: 'x' }, staff)).toBe(
      'FORBIDDEN',
    );
    expect((await world.call('knowledge.list', { orgId: globex.id })).own).toEqual([]);
  });

  it('applies a removed membership and a changed role to the very next call, API tokens included', async () => {
    const staff = sessions.get('staff@msp.test') as CallSession;
    const { secret } = await world.call(
      'tokens.create',
      { name: 'script', expiresInDays: 30, password: PASSWORD },
      staff,
    );
    const byToken: CallSession = { token: secret, setToken: () => {} };
    await world.call('members.put', { email: 'staff@msp.test', orgId: globex.id, role: 'member' });
    expect(await refusal('knowledge.add', { orgId: globex.id, title: 'Now', body: 'y' }, byToken)).toBe(
      'accepted',
    );
    await world.call('members.remove', { email: 'staff@msp.test', orgId: acme.id });
    for (const session of [staff, byToken]) {
      expect(await refusal('orgs.get', { id: acme.id }, session)).toBe('NOT_FOUND');
      expect((await world.call('orgs.list', {}, session)).map((org) => org.name)).toEqual(['Globex']);
    }
    const current = await world.call('session.current', {}, staff);
    expect(current.user?.boundOrgId).toBe(globex.id);
  });

  it('lets a manager give roles up to member in their own org only, and audits every change', async () => {
    const manager = sessions.get('manager@acme.test') as CallSession;
    await world.call('users.create', {
      email: 'new@acme.test',
      name: 'New',
      role: 'user',
      password: PASSWORD,
    });
    expect(
      await refusal('members.put', { email: 'new@acme.test', orgId: acme.id, role: 'manager' }, manager),
    ).toBe('FORBIDDEN');
    expect(
      await refusal('members.put', { email: 'new@acme.test', orgId: globex.id, role: 'member' }, manager),
    ).toBe('NOT_FOUND');
    expect(
      await refusal('members.put', { email: 'new@acme.test', orgId: acme.id, role: 'viewer' }, manager),
    ).toBe('accepted');
    expect(
      await refusal('members.put', { email: 'new@acme.test', orgId: acme.id, role: 'member' }, manager),
    ).toBe('accepted');
    expect(await refusal('members.remove', { email: 'member@acme.test', orgId: acme.id }, manager)).toBe(
      'accepted',
    );
    expect(await refusal('members.remove', { email: 'manager@acme.test', orgId: acme.id }, manager)).toBe(
      'FORBIDDEN',
    );
    const trail = await world.call('audit.list', { org: acme.id, action: 'member' });
    expect(trail.items.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['member.joined', 'member.role_changed', 'member.removed']),
    );
  });

  it('tells a manager nothing of who the MSP’s staff are: their emails answer as no user at all', async () => {
    const manager = sessions.get('manager@acme.test') as CallSession;
    await world.call('users.create', {
      email: 'staff-admin@msp.test',
      name: 'Staff',
      role: 'admin',
      password: PASSWORD,
    });
    const answer = async (channel: ChannelName, input: unknown) => {
      const envelope = await world.backend.router.call(channel, input, manager);
      return envelope.ok
        ? 'accepted'
        : { code: envelope.error.code, message: envelope.error.message.replace(/\S+@\S+/, 'E') };
    };
    for (const input of [
      { orgId: acme.id, role: 'member' },
      { orgId: globex.id, role: 'member' },
    ]) {
      expect(await answer('members.put', { email: 'staff-admin@msp.test', ...input })).toEqual(
        await answer('members.put', { email: 'nobody@msp.test', ...input }),
      );
    }
    expect(
      await answer('members.put', { email: 'staff-admin@msp.test', orgId: acme.id, role: 'member' }),
    ).toEqual({
      code: 'NOT_FOUND',
      message: 'There is no user with the email E',
    });
    expect(await answer('members.remove', { email: 'staff-admin@msp.test', allClientOrgs: true })).toEqual(
      await answer('members.remove', { email: 'nobody@msp.test', allClientOrgs: true }),
    );
    expect(await answer('members.remove', { email: 'staff-admin@msp.test', orgId: acme.id })).toEqual(
      await answer('members.remove', { email: 'nobody@msp.test', orgId: acme.id }),
    );
  });

  it('tells a manager nothing of another client’s people, nor of the MSP’s staff when inviting: an invite asks them', async () => {
    const manager = sessions.get('manager@acme.test') as CallSession;
    await userWith('rival@globex.test', [[globex.id, 'member']]);
    const answer = async (channel: ChannelName, input: unknown) => {
      const envelope = await world.backend.router.call(channel, input, manager);
      return envelope.ok
        ? 'accepted'
        : { code: envelope.error.code, message: envelope.error.message.replace(/\S+@\S+/, 'E') };
    };
    for (const [channel, input] of [
      ['members.put', { orgId: acme.id, role: 'member' }],
      ['members.put', { orgId: acme.id, role: 'viewer' }],
      ['members.remove', { orgId: acme.id }],
    ] as const) {
      expect(await answer(channel, { email: 'Rival@Globex.test', ...input })).toEqual(
        await answer(channel, { email: 'nobody@globex.test', ...input }),
      );
    }
    expect(
      (await world.call('members.list', { orgId: acme.id })).map((member) => member.email),
    ).not.toContain('rival@globex.test');
    // Nor is someone with no org at all told apart by a removal: they are not here either way.
    await world.call('users.create', {
      email: 'loner@example.test',
      name: 'Loner',
      role: 'user',
      password: PASSWORD,
    });
    expect(await answer('members.remove', { email: 'Loner@example.test', orgId: acme.id })).toEqual(
      await answer('members.remove', { email: 'nobody@example.test', orgId: acme.id }),
    );
    // Invited, the person of another org joins by accepting; staff never do, and nothing tells them apart.
    await world.call('users.create', {
      email: 'ops@msp.test',
      name: 'Ops',
      role: 'admin',
      password: PASSWORD,
    });
    const invite = async (email: string) => {
      const envelope = await world.backend.router.call(
        'invites.create',
        { email, memberships: [{ orgId: acme.id, role: 'member' }], expiresDays: 7 },
        manager,
      );
      return envelope.ok ? { ok: true, data: envelope.data as { code: string } } : { ok: false, data: null };
    };
    const [toStaff, toNobody] = [await invite('ops@msp.test'), await invite('new-hire@acme.test')];
    expect([toStaff.ok, toNobody.ok]).toEqual([true, true]);
    const rivalInvite = await invite('rival@globex.test');
    if (!rivalInvite.data || !toStaff.data) throw new Error('invites refused');
    const rival = sessions.get('rival@globex.test') as CallSession;
    expect(await refusal('invites.join', { code: rivalInvite.data.code }, rival)).toBe('accepted');
    expect((await world.call('members.list', { orgId: acme.id })).map((member) => member.email)).toContain(
      'rival@globex.test',
    );
    const ops = tokenSession();
    await world.call('session.signIn', { email: 'ops@msp.test', password: PASSWORD }, ops);
    expect(await refusal('invites.join', { code: toStaff.data.code }, ops)).toBe('NOT_FOUND');
    // An owner is told the email is staff, as before.
    expect(
      await refusal(
        'invites.create',
        { email: 'ops@msp.test', memberships: [{ orgId: acme.id, role: 'member' }], expiresDays: 7 },
        ownerSession(),
      ),
    ).toBe('CONFLICT');
  });

  it('shows a member the trail of its org’s terms without the markups, allowance or minimum, which an owner sees', async () => {
    const viewer = await userWith('trail@acme.test', [[acme.id, 'viewer']]);
    await world.call('orgs.update', {
      id: acme.id,
      rate: '310.00',
      usageMarkup: '37.5',
      includedUsage: '55.00',
      minimum: '420.00',
      from: '2026-11-01',
    });
    await world.call('orgs.setModelMarkup', { id: acme.id, model: 'gpt-4o', pct: '61', from: '2026-11-01' });
    const termsOf = async (session?: CallSession) => {
      const trail = await world.call('audit.list', { org: acme.id, action: 'org' }, session);
      const entry = (action: string) => trail.items.find((item) => item.action === action)?.summary;
      return { terms: entry('org.terms_changed'), markup: entry('org.markup_set') };
    };

    const owner = await termsOf();
    expect(owner.terms?.after).toMatchObject({
      rate: '310.00',
      usage_markup: '37.5',
      included_usage: '55.00',
      minimum: '420.00',
    });
    expect(owner.markup?.after).toMatchObject({ model: 'gpt-4o', markup: '61' });

    // What the client is charged stays; what would tell it the MSP's cost does not.
    const seen = await termsOf(viewer);
    expect(seen.terms?.after).toEqual({ from: '2026-11-01', rate: '310.00' });
    expect(Object.keys(seen.terms?.before as object)).toEqual(['rate']);
    expect(seen.terms?.withheld).toBe('usage terms, shown with billing access');
    expect(seen.markup).toEqual({
      after: { model: 'gpt-4o', from: '2026-11-01' },
      withheld: 'usage terms, shown with billing access',
    });
    expect(JSON.stringify(seen)).not.toMatch(/37\.5|55\.00|420\.00|"61"/);
  });

  it('gives staff who serve every client org that role in each, new clients included, never the owner org', async () => {
    await world.call('users.create', {
      email: 'all@msp.test',
      name: 'All',
      role: 'user',
      password: PASSWORD,
    });
    await world.call('members.put', { email: 'all@msp.test', allClientOrgs: true, role: 'viewer' });
    const session = tokenSession();
    await world.call('session.signIn', { email: 'all@msp.test', password: PASSWORD }, session);
    const later = await createOrg(world, 'Hooli', '10.00');
    const names = (await world.call('orgs.list', {}, session)).map((org) => org.name).sort();
    expect(names).toEqual(['Acme', 'Globex', 'Hooli', 'Initech']);
    expect(await refusal('agents.update', { id: agentId, status: 'paused' }, session)).toBe('FORBIDDEN');
    expect(later.id).toBeDefined();
  });

  it('keeps a client’s manager from changing the role of staff who serve every client org', async () => {
    const manager = sessions.get('manager@acme.test') as CallSession;
    await world.call('users.create', {
      email: 'support@msp.test',
      name: 'Support',
      role: 'user',
      pages: [...PAGES],
      password: PASSWORD,
    });
    await world.call('members.put', { email: 'support@msp.test', allClientOrgs: true, role: 'manager' });
    const staff = tokenSession();
    await world.call('session.signIn', { email: 'support@msp.test', password: PASSWORD }, staff);
    for (const role of ['billing', 'viewer', 'member'] as const) {
      const demoted = await world.backend.router.call(
        'members.put',
        { email: 'support@msp.test', orgId: acme.id, role },
        manager,
      );
      expect(demoted).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringContaining('serves every client org') },
      });
    }
    expect(await refusal('members.remove', { email: 'support@msp.test', orgId: acme.id }, manager)).toBe(
      'FORBIDDEN',
    );
    // The staff member still reads the org's trail, as a manager of every client org.
    expect(await refusal('audit.list', { org: acme.id }, staff)).toBe('accepted');
  });

  it('lets a billing admin change money but not run orgs or users', async () => {
    await world.call('users.create', {
      email: 'money@msp.test',
      name: 'Money',
      role: 'billing_admin',
      password: PASSWORD,
    });
    const session = tokenSession();
    await world.call('session.signIn', { email: 'money@msp.test', password: PASSWORD }, session);
    expect(await refusal('agents.update', { id: agentId, rate: '300.00' }, session)).toBe('accepted');
    expect(await refusal('orgs.update', { id: acme.id, budget: '50.00' }, session)).toBe('accepted');
    expect(await refusal('billing.margins', { month: '2026-09' }, session)).toBe('accepted');
    expect(await refusal('orgs.update', { id: acme.id, description: 'x' }, session)).toBe('FORBIDDEN');
    expect(await refusal('agents.update', { id: agentId, status: 'stopped' }, session)).toBe('FORBIDDEN');
    expect(await refusal('users.list', {}, session)).toBe('FORBIDDEN');
  });
});

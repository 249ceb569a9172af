import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
  orgIn,
} from '../fixtures/billing';
import { ownerSession, PASSWORD, tokenSession } from '../fixtures/tenants';

let world: BillingWorld;
let orgA: { id: string };
let billBot: { id: string };
let alice: CallSession;

beforeEach(async () => {
  world = openBillingWorld('2026-08-05T12:00:00Z');
  orgA = await createOrg(world, 'Alpha', '40.00');
  // Three agents in A from June 1st: July is 3 × $40 = $120.
  billBot = await createAgent(world, 'bill-bot');
  for (const agent of [billBot, await createAgent(world, 'two-bot'), await createAgent(world, 'three-bot')])
    await assign(world, agent.id, orgA.id, '2026-06-01T00:00:00Z');
  await world.call('users.create', {
    email: 'alice@example.com',
    name: 'Alice',
    role: 'user',
    boundOrgId: orgA.id,
    pages: ['agents', 'billing'],
    password: PASSWORD,
  });
  // She runs Alpha: she may assign and unassign its agents, as of now.
  await world.call('members.put', { email: 'alice@example.com', orgId: orgA.id, role: 'manager' });
  alice = tokenSession();
  await world.call('session.signIn', { email: 'alice@example.com', password: PASSWORD }, alice);
});

afterEach(() => world.cleanup());

const julyRevenue = async () => orgIn(await margins(world, '2026-07'), orgA.id).revenue;

describe('dating a change in the past', () => {
  it("is refused to the org's manager: billed history stays, and the agent stays hers", async () => {
    expect(await julyRevenue()).toBe('120.00');
    const history = (await world.call('agents.get', { id: billBot.id })).history;

    const envelope = await world.backend.router.call(
      'agents.unassign',
      { agentIds: [billBot.id], at: '2026-06-01T00:00:01Z' },
      alice,
    );

    expect(envelope).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only owners and admins can date a change in the past.' },
    });
    expect(await julyRevenue()).toBe('120.00');
    expect((await world.call('agents.get', { id: billBot.id })).history).toEqual(history);
    expect((await world.call('agents.get', { id: billBot.id }, alice)).org?.id).toBe(orgA.id);
    const backAssign = await world.backend.router.call(
      'agents.assign',
      { agentIds: [billBot.id], orgId: orgA.id, at: '2026-07-01T00:00:00Z' },
      alice,
    );
    expect(backAssign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it("is allowed to the org's manager when the change takes effect now", async () => {
    const envelope = await world.backend.router.call('agents.unassign', { agentIds: [billBot.id] }, alice);
    expect(envelope.ok).toBe(true);
    expect(await julyRevenue()).toBe('120.00');
  });

  it('is allowed to an admin', async () => {
    await world.call('users.create', {
      email: 'ada@example.com',
      name: 'Ada',
      role: 'admin',
      password: PASSWORD,
    });
    const admin = tokenSession();
    await world.call('session.signIn', { email: 'ada@example.com', password: PASSWORD }, admin);
    await world.call('agents.unassign', { agentIds: [billBot.id], at: '2026-07-16T12:00:00Z' }, admin);
    // bill-bot: July 1st to the 16th at noon = 15.5 of 31 days × $40 = $20; with the other two, $100.
    expect(await julyRevenue()).toBe('100.00');
  });
});

describe('dates out of any sane range', () => {
  it('are refused for everyone, the owner included, and change nothing', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      ['agents.assign', { agentIds: [billBot.id], orgId: orgA.id, at: '0001-01-01T00:00:00Z', move: true }],
      ['agents.unassign', { agentIds: [billBot.id], at: '2101-01-01T00:00:00Z' }],
      ['billing.margins', { month: '0000-01' }],
      ['billing.trend', { month: '9999-12' }],
      ['prices.set', { model: 'gpt-test', input: '1', output: '1', from: '1999-12-31' }],
      ['audit.list', { from: '0001-01-01T00:00:00Z' }],
    ];
    for (const [name, input] of attempts) {
      const envelope = await world.backend.router.call(name, input, ownerSession());
      expect(envelope, name).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message: expect.stringContaining('Use a date from 2000 through 2100') },
      });
    }
    expect(await julyRevenue()).toBe('120.00');
    expect(await world.call('prices.list', {})).toEqual([]);
  });

  it('take in 2000 and 2100 themselves', async () => {
    expect(orgIn(await margins(world, '2000-01'), orgA.id).revenue).toBe('0.00');
    expect(orgIn(await margins(world, '2100-12'), orgA.id).revenue).toBe('120.00');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import type { AuditEntry } from '../../shared/contract/audit';
import {
  buildTenantWorld,
  must,
  ownerSession,
  PASSWORD,
  type TenantWorld,
  tokenSession,
} from '../fixtures/tenants';

/** What the Audit page shows and filters on: who did what where, and what changed. */
describe('the audit trail', () => {
  let world: TenantWorld;
  let boundToA: CallSession;

  const trail = async (input: object, session?: CallSession) =>
    (await must(world.backend, 'audit.list', { pageSize: 500, ...input }, session)).items;
  const oldestFirst = (entries: AuditEntry[]) => [...entries].reverse();

  beforeAll(async () => {
    world = await buildTenantWorld();
    const [userA] = await must(world.backend, 'users.list', { search: 'user-a@' });
    if (!userA) throw new Error('no user bound to org A');
    await must(world.backend, 'users.update', { id: userA.id, pages: ['audit'] });
    boundToA = tokenSession();
    await must(world.backend, 'session.signIn', { email: userA.email, password: PASSWORD }, boundToA);
  });
  afterAll(() => world.close());

  it('records every policy change with its org, target and a before/after summary', async () => {
    const { a, b } = world.orgs;
    const policy = await must(world.backend, 'policies.create', {
      orgId: a.id,
      name: 'No politics',
      config: { kind: 'topic_block', topics: ['politics'] },
    });
    await must(world.backend, 'policies.update', { id: policy.id, name: 'Sensitive topics' });
    await must(world.backend, 'policies.update', { id: policy.id, enabled: false });
    await must(world.backend, 'policies.update', { id: policy.id, enabled: true });
    await must(world.backend, 'policies.restore', { id: policy.id, version: 1 });
    await must(world.backend, 'policies.setDefaults', { orgId: a.id, defaultDecision: 'deny' });
    const [copy] = await must(world.backend, 'policies.copy', { id: policy.id, orgIds: [b.id] });
    await must(world.backend, 'policies.delete', { id: policy.id });

    const inA = oldestFirst(await trail({ org: a.id, action: 'policy' }));
    expect(inA.map((entry) => entry.action)).toEqual([
      'policy.created',
      'policy.updated',
      'policy.disabled',
      'policy.enabled',
      'policy.restored',
      'policy.defaults_changed',
      'policy.deleted',
    ]);
    expect(inA.every((entry) => entry.actor === 'local owner (CLI)' && entry.orgId === a.id)).toBe(true);
    expect(inA[1]).toMatchObject({
      target: { type: 'policy', id: policy.id },
      summary: {
        before: { version: 1, name: 'No politics' },
        after: { version: 2, name: 'Sensitive topics' },
      },
    });
    expect(inA[4]?.summary).toMatchObject({ after: { version: 5, name: 'No politics' } });
    expect(inA[5]).toMatchObject({
      target: { type: 'org', id: a.id },
      summary: { before: { defaultDecision: 'allow' }, after: { defaultDecision: 'deny' } },
    });
    const inB = oldestFirst(await trail({ org: b.id, action: 'policy' }));
    expect(inB.map((entry) => [entry.action, entry.target.id])).toEqual([
      ['policy.created', copy?.id],
      ['policy.copied', copy?.id],
    ]);
  });

  it('names the agent of each assignment, move and unassignment, in both orgs’ trails', async () => {
    const { a, b } = world.orgs;
    const agent = await must(world.backend, 'agents.create', {
      name: 'Courier',
      handle: 'courier',
      orgId: a.id,
    });
    await must(world.backend, 'agents.assign', { agentIds: [agent.id], orgId: b.id, move: true });
    await must(world.backend, 'agents.unassign', { agentIds: [agent.id] });

    const about = (entries: AuditEntry[]) => entries.filter((entry) => entry.target.id === agent.id);
    const inA = oldestFirst(about(await trail({ org: a.id, action: 'agent' })));
    const inB = oldestFirst(about(await trail({ org: b.id, action: 'agent' })));
    // The Audit page shows the target by the name in its summary: without it, an id.
    expect(inA.map((entry) => [entry.action, entry.summary.handle])).toEqual([
      ['agent.assigned', 'courier'],
      ['agent.moved', 'courier'],
    ]);
    expect(inB.map((entry) => [entry.action, entry.summary.handle])).toEqual([
      ['agent.moved', 'courier'],
      ['agent.unassigned', 'courier'],
    ]);
    // Each side still names only its own org.
    expect(inA[1]?.summary).toMatchObject({
      before: { org: a.slug },
      after: { org: 'another organization' },
    });
    expect(inB[0]?.summary).toMatchObject({
      before: { org: 'another organization' },
      after: { org: b.slug },
    });
  });

  it('records a settings change with its before and after', async () => {
    await must(world.backend, 'settings.update', { sessionTimeoutHours: 12 });
    const [entry] = await trail({ action: 'settings' });
    expect(entry).toMatchObject({
      action: 'settings.changed',
      orgId: null,
      summary: { before: { sessionTimeoutHours: 8 }, after: { sessionTimeoutHours: 12 } },
    });
  });

  it('names the actions to filter by: every one for the owner, those of their org for a bound user', async () => {
    const cap = await must(world.backend, 'policies.create', {
      orgId: world.orgs.c.id,
      name: 'Cap',
      config: { kind: 'spend_limit', monthlyUsd: '10.00', action: 'warn' },
    });
    // Copies are recorded in the target org only: here B, which the bound user may not see.
    await must(world.backend, 'policies.copy', { id: cap.id, orgIds: [world.orgs.b.id] });
    await must(world.backend, 'policies.create', {
      orgId: world.orgs.a.id,
      name: 'Tools',
      config: { kind: 'tool_allowlist', tools: ['search'] },
    });

    const all = await must(world.backend, 'audit.actions', {});
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['org.created', 'settings.changed', 'user.created']));
    expect(new Set(all).size).toBe(all.length);

    const own = await must(world.backend, 'audit.actions', {}, boundToA);
    const ownTrail = await trail({}, boundToA);
    expect(own).toEqual([...new Set(ownTrail.map((entry) => entry.action))].sort());
    expect(ownTrail.every((entry) => entry.orgId === world.orgs.a.id)).toBe(true);
    expect(own).toContain('policy.created');
    expect(own).not.toContain('settings.changed');
    expect(own).not.toContain('policy.copied');
  });

  it('sorts on the server by time, org, actor and action, pages in that order and keeps its filters', async () => {
    const byTime = await trail({});
    expect(byTime.map((entry) => entry.id)).toEqual(byTime.map((entry) => entry.id).sort((a, b) => b - a));
    expect(await trail({ sort: 'time', direction: 'asc' })).toEqual(oldestFirst(byTime));

    const orgs = await must(world.backend, 'orgs.list', {});
    const nameOf = new Map(orgs.map((org) => [org.id, org.name]));
    const collator = new Intl.Collator('en', { sensitivity: 'base' });
    const byOrg = await trail({ sort: 'org', direction: 'asc' });
    const named = byOrg.filter((entry) => entry.orgId !== null);
    const names = named.map((entry) => nameOf.get(entry.orgId as string) as string);
    expect(names).toEqual([...names].sort(collator.compare));
    // Entries of no org (users, settings) come after every org's, whichever the direction.
    expect(byOrg.slice(named.length).every((entry) => entry.orgId === null)).toBe(true);
    const byOrgDesc = await trail({ sort: 'org', direction: 'desc' });
    expect(byOrgDesc[0]?.orgId).not.toBeNull();
    expect(byOrgDesc.at(-1)?.orgId).toBeNull();
    // Within one org, the newest first.
    const first = named.filter((entry) => entry.orgId === named[0]?.orgId).map((entry) => entry.id);
    expect(first).toEqual([...first].sort((a, b) => b - a));

    const byAction = await trail({ sort: 'action', direction: 'desc' });
    const actions = byAction.map((entry) => entry.action);
    expect(actions).toEqual([...actions].sort().reverse());
    expect(new Set(byAction.map((entry) => entry.id)).size).toBe(byTime.length);

    // Pages follow the sort: the second page goes on where the first stopped.
    const [one, two] = await Promise.all(
      [1, 2].map((page) =>
        must(world.backend, 'audit.list', { sort: 'action', direction: 'desc', page, pageSize: 5 }),
      ),
    );
    expect([...(one?.items ?? []), ...(two?.items ?? [])].map((entry) => entry.id)).toEqual(
      byAction.slice(0, 10).map((entry) => entry.id),
    );
    // A filter holds under any sort.
    const policies = await trail({ action: 'policy', sort: 'actor', direction: 'asc' });
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.every((entry) => entry.action.startsWith('policy.'))).toBe(true);
  });

  it('refuses a sort it does not know with VALIDATION', async () => {
    for (const input of [{ sort: 'target' }, { sort: 'time', direction: 'up' }]) {
      const refused = await world.backend.router.call('audit.list', input, ownerSession());
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import type { AuditEntry } from '../../shared/contract/audit';
import { buildTenantWorld, must, PASSWORD, type TenantWorld, tokenSession } from '../fixtures/tenants';

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
});

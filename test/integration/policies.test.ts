import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWorld, must, ownerSession, type TenantWorld } from '../fixtures/tenants';

describe('guardrail policies', () => {
  let world: TenantWorld;
  beforeAll(async () => {
    world = await buildTenantWorld();
  });
  afterAll(() => world.close());

  const call = (name: string, input: unknown) => world.backend.router.call(name, input, ownerSession());

  it.each([
    ['topic_block', { kind: 'topic_block', topics: [] }, 'config.topics'],
    ['pii_redaction', { kind: 'pii_redaction', entities: ['shoe_size'] }, 'config.entities.0'],
    ['spend_limit', { kind: 'spend_limit', monthlyUsd: '12.345', action: 'warn' }, 'config.monthlyUsd'],
    [
      'approval_required',
      { kind: 'approval_required', tools: ['deploy'], approvers: ['not-an-email'] },
      'config.approvers.0',
    ],
    ['tool_allowlist', { kind: 'tool_allowlist', tools: ['search'], extra: true }, 'config'],
  ])('checks a %s config and says which field is wrong', async (_kind, config, path) => {
    const envelope = await call('policies.create', { orgId: world.orgs.a.id, name: 'Bad', config });
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) {
      expect(envelope.error.code).toBe('VALIDATION');
      const paths = (envelope.error.details as { issues: { path: string[] }[] }).issues.map((i) =>
        i.path.join('.'),
      );
      expect(paths).toContain(path);
    }
    expect(await must(world.backend, 'policies.list', { orgId: world.orgs.a.id })).toEqual([]);
  });

  it('makes every edit a version, and restoring version 1 brings its settings back as a new version', async () => {
    const created = await must(world.backend, 'policies.create', {
      orgId: world.orgs.b.id,
      name: 'No politics',
      config: { kind: 'topic_block', topics: ['politics'] },
    });
    await must(world.backend, 'policies.update', {
      id: created.id,
      config: { kind: 'topic_block', topics: ['politics', 'religion'] },
    });
    await must(world.backend, 'policies.update', {
      id: created.id,
      name: 'Sensitive topics',
      enabled: false,
    });
    const restored = await must(world.backend, 'policies.restore', { id: created.id, version: 1 });
    expect(restored).toMatchObject({
      version: 4,
      name: 'No politics',
      enabled: true,
      config: { topics: ['politics'] },
    });
    const { versions } = await must(world.backend, 'policies.get', { id: created.id });
    expect(versions.map((v) => [v.version, v.change])).toEqual([
      [1, 'created'],
      [2, 'edited'],
      [3, 'edited'],
      [4, 'restored from v1'],
    ]);
    const kindChange = await call('policies.update', {
      id: created.id,
      config: { kind: 'tool_allowlist', tools: ['x'] },
    });
    expect(kindChange).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('refuses an edit or a restore made on a version another editor has moved past, saving nothing', async () => {
    const created = await must(world.backend, 'policies.create', {
      orgId: world.orgs.b.id,
      name: 'No gambling',
      config: { kind: 'topic_block', topics: ['gambling'] },
    });
    // Two editors open version 1; the first saves version 2.
    await must(world.backend, 'policies.update', {
      id: created.id,
      expectedVersion: 1,
      config: { kind: 'topic_block', topics: ['gambling', 'betting'] },
    });
    const conflicts = [
      await call('policies.update', { id: created.id, expectedVersion: 1, name: 'No casinos' }),
      await call('policies.restore', { id: created.id, version: 1, expectedVersion: 1 }),
    ];
    for (const refused of conflicts)
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'CONFLICT',
          message:
            'No gambling was changed while you edited it (it is at version 2 now, or a newer one): reload it, then make your change again. Nothing was saved.',
        },
      });
    expect(await must(world.backend, 'policies.get', { id: created.id })).toMatchObject({
      version: 2,
      name: 'No gambling',
      config: { topics: ['gambling', 'betting'] },
    });
    // Made on the version it has, the second editor's change is saved.
    expect(
      await must(world.backend, 'policies.update', {
        id: created.id,
        expectedVersion: 2,
        name: 'No casinos',
      }),
    ).toMatchObject({ version: 3, name: 'No casinos' });
  });

  it('requires a description when the org says so', async () => {
    await must(world.backend, 'policies.setDefaults', { orgId: world.orgs.c.id, requireDescription: true });
    const bare = await call('policies.create', {
      orgId: world.orgs.c.id,
      name: 'Cap',
      config: { kind: 'spend_limit', monthlyUsd: '500.00', action: 'block' },
    });
    expect(bare).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const described = await must(world.backend, 'policies.create', {
      orgId: world.orgs.c.id,
      name: 'Cap',
      description: 'Stop at $500 a month',
      config: { kind: 'spend_limit', monthlyUsd: '500.00', action: 'block' },
    });
    expect(described.version).toBe(1);
    expect(await must(world.backend, 'policies.defaults', { orgId: world.orgs.c.id })).toEqual({
      defaultDecision: 'allow',
      approvalTimeoutMinutes: 60,
      requireDescription: true,
    });
  });

  it('lets an old policy without a description be switched off after descriptions become required, not edited', async () => {
    const org = await must(world.backend, 'orgs.create', { name: 'Strictco' });
    const old = await must(world.backend, 'policies.create', {
      orgId: org.id,
      name: 'Block crypto',
      config: { kind: 'topic_block', topics: ['crypto'] },
    });
    await must(world.backend, 'policies.setDefaults', { orgId: org.id, requireDescription: true });
    const off = await must(world.backend, 'policies.update', { id: old.id, enabled: false });
    expect(off).toMatchObject({ version: 2, enabled: false });
    const renamed = await call('policies.update', { id: old.id, name: 'Block coins' });
    expect(renamed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // Restoring the first version would write it anew, without a description: refused the same way.
    const restored = await call('policies.restore', { id: old.id, version: 1 });
    expect(restored).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'This organization requires a description on every policy.' },
    });
    expect(await must(world.backend, 'policies.get', { id: old.id })).toMatchObject({ version: 2 });
  });

  it('copies a policy to other orgs as their own', async () => {
    const source = await must(world.backend, 'policies.create', {
      orgId: world.orgs.a.id,
      name: 'Redact PII',
      // Org C requires descriptions (see above): a copy must meet the target org's rules too.
      description: 'Mask contact details',
      config: { kind: 'pii_redaction', entities: ['email', 'phone'] },
    });
    const copies = await must(world.backend, 'policies.copy', {
      id: source.id,
      orgIds: [world.orgs.b.id, world.orgs.c.id],
    });
    expect(copies.map((p) => p.orgId)).toEqual([world.orgs.b.id, world.orgs.c.id]);
    expect(copies.every((p) => p.id !== source.id && p.version === 1)).toBe(true);
    const inB = await must(world.backend, 'policies.list', { orgId: world.orgs.b.id });
    expect(inB.map((p) => p.name)).toContain('Redact PII');
  });

  it('leaves a deleted org’s policies as they were until the org is restored', async () => {
    const org = await must(world.backend, 'orgs.create', { name: 'Shortlived' });
    const policy = await must(world.backend, 'policies.create', {
      orgId: org.id,
      name: 'Allow search',
      config: { kind: 'tool_allowlist', tools: ['search'] },
    });
    await must(world.backend, 'orgs.delete', { id: org.id, confirmName: 'Shortlived' });
    for (const [name, input] of [
      ['policies.get', { id: policy.id }],
      ['policies.update', { id: policy.id, enabled: false }],
      ['policies.restore', { id: policy.id, version: 1 }],
      ['policies.delete', { id: policy.id }],
    ] as const) {
      const envelope = await call(name, input);
      expect(envelope, name).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    await must(world.backend, 'orgs.restore', { id: org.id });
    expect(await must(world.backend, 'policies.get', { id: policy.id })).toMatchObject({
      version: 1,
      enabled: true,
    });
  });
});

describe('policies.coverage', () => {
  let world: TenantWorld;
  beforeAll(async () => {
    world = await buildTenantWorld();
  });
  afterAll(() => world.close());

  it('counts each client org’s policies per kind, on and off, and names the kinds an org lacks by zeros', async () => {
    const { a, b } = world.orgs;
    await must(world.backend, 'policies.create', {
      orgId: a.id,
      name: 'Mask emails',
      config: { kind: 'pii_redaction', entities: ['email'] },
    });
    const limit = await must(world.backend, 'policies.create', {
      orgId: a.id,
      name: 'Cap',
      config: { kind: 'spend_limit', monthlyUsd: '100.00', action: 'warn' },
    });
    await must(world.backend, 'policies.update', { id: limit.id, enabled: false });
    await must(world.backend, 'policies.create', {
      orgId: b.id,
      name: 'No politics',
      config: { kind: 'topic_block', topics: ['politics'] },
    });

    const coverage = await must(world.backend, 'policies.coverage', {});
    // The MSP's own org is not a client: three rows, by name.
    expect(coverage.map((org) => org.name)).toEqual(['Alphaorg Zebra', 'Betaorg Quokka', 'Gammaorg Narwhal']);
    const of = (orgId: string) =>
      Object.fromEntries(
        (coverage.find((org) => org.id === orgId)?.kinds ?? []).map(({ kind, enabled, disabled }) => [
          kind,
          [enabled, disabled],
        ]),
      );
    expect(of(a.id)).toEqual({
      topic_block: [0, 0],
      pii_redaction: [1, 0],
      spend_limit: [0, 1],
      approval_required: [0, 0],
      tool_allowlist: [0, 0],
    });
    expect(of(b.id)).toMatchObject({ topic_block: [1, 0], pii_redaction: [0, 0], spend_limit: [0, 0] });
    expect(Object.values(of(world.orgs.c.id)).every(([on, off]) => on === 0 && off === 0)).toBe(true);
  });
});

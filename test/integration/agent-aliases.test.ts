import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';
import {
  buildTenantWorld,
  must,
  ownerSession,
  PASSWORD,
  type TenantWorld,
  tokenSession,
} from '../fixtures/tenants';

describe('agent aliases over the router', () => {
  let world: TenantWorld;
  let boundToA: CallSession;
  const agent = (handle: string) => must(world.backend, 'agents.get', { handle });

  beforeAll(async () => {
    world = await buildTenantWorld();
    const [userA] = await must(world.backend, 'users.list', { search: 'user-a@' });
    if (!userA) throw new Error('no user bound to org A');
    await must(world.backend, 'users.update', { id: userA.id, pages: ['agents', 'billing'] });
    boundToA = tokenSession();
    await must(world.backend, 'session.signIn', { email: userA.email, password: PASSWORD }, boundToA);
  });
  afterAll(() => world.close());

  it('maps a value to one agent: the same again is a no-op, another agent is a CONFLICT naming the first', async () => {
    const first = await agent('a-agent-1');
    const second = await agent('b-agent-1');
    const key = { source: 'anthropic', kind: 'api_key', value: 'apikey_01Support' } as const;
    const added = await must(world.backend, 'aliases.add', { ...key, agentId: first.id });
    expect(added).toMatchObject({ ...key, agent: { id: first.id, handle: 'a-agent-1' } });
    await must(world.backend, 'aliases.add', { ...key, agentId: first.id });

    const taken = await world.backend.router.call(
      'aliases.add',
      { ...key, agentId: second.id },
      ownerSession(),
    );
    expect(taken).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!taken.ok) expect(taken.error.message).toContain('a-agent-1');
    // The same value under another kind or source is another identity.
    await must(world.backend, 'aliases.add', { ...key, kind: 'workspace', agentId: second.id });
    await must(world.backend, 'aliases.add', { ...key, source: 'openai', agentId: second.id });

    expect((await must(world.backend, 'aliases.list', { agentId: first.id })).map((a) => a.value)).toEqual([
      'apikey_01Support',
    ]);
    expect(await must(world.backend, 'aliases.list', { agentId: second.id })).toHaveLength(2);
  });

  it('keeps an old handle an alias maps from new agents: creating or importing one with it is refused', async () => {
    const first = await agent('a-agent-1');
    const old = { source: 'orgdeck', kind: 'handle', value: 'legacy-support' } as const;
    await must(world.backend, 'aliases.add', { ...old, agentId: first.id });
    // In another org, it would take the rows usage files name legacy-support from org A's agent.
    const created = await world.backend.router.call(
      'agents.create',
      { name: 'Support', handle: 'legacy-support', orgId: world.orgs.b.id },
      ownerSession(),
    );
    expect(created).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'This handle is already taken: handles are unique across all organizations.',
      },
    });
    const preview = await must(world.backend, 'agents.import', {
      csv: 'name,handle,email,model,org,rate\nSupport,legacy-support,,,,\n',
      dryRun: true,
    });
    expect(preview.rows[0]?.problems).toContain('handle: This handle is taken');
    await must(world.backend, 'aliases.remove', old);
  });

  it('refuses bad input with VALIDATION and changes nothing', async () => {
    const before = await must(world.backend, 'aliases.list', {});
    const { id } = await agent('c-agent-1');
    for (const input of [
      { source: 'azure', kind: 'api_key', value: 'k', agentId: id },
      { source: 'openai', kind: 'org', value: 'k', agentId: id },
      { source: 'openai', kind: 'api_key', value: '  ', agentId: id },
      { source: 'openai', kind: 'api_key', value: 'x'.repeat(201), agentId: id },
    ]) {
      const refused = await world.backend.router.call('aliases.add', input, ownerSession());
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await must(world.backend, 'aliases.list', {})).toEqual(before);
  });

  it('is for owners and admins only: a user bound to an org, even with the billing page, is FORBIDDEN', async () => {
    const { id } = await agent('a-agent-1');
    for (const [name, input] of [
      ['aliases.list', {}],
      ['aliases.add', { source: 'litellm', kind: 'team', value: 'team-a', agentId: id }],
      ['aliases.remove', { source: 'anthropic', kind: 'api_key', value: 'apikey_01Support' }],
    ] as const) {
      const refused = await world.backend.router.call(name, input, boundToA);
      expect(refused, name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await must(world.backend, 'aliases.list', { agentId: id })).toHaveLength(1);
  });

  it('audits adding and removing on the agent’s org; removing what is not there is NOT_FOUND', async () => {
    const { id } = await agent('c-agent-2');
    const key = { source: 'litellm', kind: 'team', value: 'team-gamma' } as const;
    await must(world.backend, 'aliases.add', { ...key, agentId: id });
    await must(world.backend, 'aliases.remove', key);
    const gone = await world.backend.router.call('aliases.remove', key, ownerSession());
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const trail = await must(world.backend, 'audit.list', { org: world.orgs.c.id, pageSize: 500 });
    const entries = trail.items.filter(
      (entry) => entry.target.id === id && entry.action.startsWith('agent.alias'),
    );
    expect(entries.map((entry) => [entry.action, entry.summary])).toEqual([
      ['agent.alias_removed', { before: key }],
      ['agent.alias_added', { after: key }],
    ]);
  });
});

describe('orgdeck agent alias', () => {
  let dataDir: string;
  const cli = (...args: string[]) => runCliIn(dataDir, args);

  beforeEach(async () => {
    dataDir = makeTempDir('orgdeck-alias-cli-');
    const init = await runCliIn(
      dataDir,
      ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
      `${OWNER.password}\n`,
    );
    expect(init, init.err).toMatchObject({ code: 0 });
    for (const handle of ['support-bot', 'sales-bot'])
      expect((await cli('agent', 'create', '--name', handle, '--handle', handle)).code).toBe(0);
  });
  afterEach(() => removeDir(dataDir));

  it('adds, lists and removes an alias as the issue writes it', async () => {
    const add = await cli(
      'agent',
      'alias',
      'add',
      'support-bot',
      '--source',
      'openai',
      '--kind',
      'project',
      '--value',
      'proj_support',
    );
    expect(add, add.err).toMatchObject({ code: 0 });
    expect(add.out).toContain('openai project proj_support now counts as support-bot');

    const conflict = await cli(
      'agent',
      'alias',
      'add',
      'sales-bot',
      '--source',
      'openai',
      '--kind',
      'project',
      '--value',
      'proj_support',
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.err).toMatch(/already stands for support-bot/);

    const list = await cli('agent', 'alias', 'list', '--json');
    expect(JSON.parse(list.out)).toMatchObject([
      { source: 'openai', kind: 'project', value: 'proj_support', agent: { handle: 'support-bot' } },
    ]);
    expect((await cli('agent', 'alias', 'list', 'sales-bot')).out).toBe('No aliases.');

    const remove = await cli(
      'agent',
      'alias',
      'remove',
      '--source',
      'openai',
      '--kind',
      'project',
      '--value',
      'proj_support',
    );
    expect(remove, remove.err).toMatchObject({ code: 0 });
    expect((await cli('agent', 'alias', 'list')).out).toBe('No aliases.');
  });

  it('names the field that is wrong', async () => {
    const bad = await cli(
      'agent',
      'alias',
      'add',
      'support-bot',
      '--source',
      'openai',
      '--kind',
      'key',
      '--value',
      'k',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/api_key, project, workspace, user or team/);
  });
});

describe('an old handle in our own usage files mapped to an agent', () => {
  let dataDir: string;
  // runCliIn names the store: on the PostgreSQL project, the data directory's database too.
  const cli = (...args: string[]) => runCliIn(dataDir, args);
  const importUsage = async (file: string) => {
    const run = await cli('usage', 'import', file, '--json');
    expect(run, run.err).toMatchObject({ code: 0 });
    return JSON.parse(run.out) as { imported: number; skipped: number; bad: number };
  };
  /** The agent's input tokens in October (it is in no org: its usage is unattributed). */
  const inputTokens = async (handle: string) => {
    const report = await cli('report', 'margins', '--month', '2026-10', '--format', 'json');
    expect(report, report.err).toMatchObject({ code: 0 });
    const { unattributed } = JSON.parse(report.out) as {
      unattributed: { by_agent: { handle: string; input_tokens: number }[] };
    };
    return unattributed.by_agent.find((agent) => agent.handle === handle)?.input_tokens;
  };

  beforeEach(async () => {
    dataDir = makeTempDir('orgdeck-handle-alias-');
    const init = await runCliIn(
      dataDir,
      ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
      `${OWNER.password}\n`,
    );
    expect(init, init.err).toMatchObject({ code: 0 });
    expect((await cli('agent', 'create', '--name', 'Helpdesk', '--handle', 'helpdesk')).code).toBe(0);
  });
  afterEach(() => removeDir(dataDir));

  it('counts the rows it left out once mapped, and never counts a row twice', async () => {
    const rows = ['timestamp,agent,model,input_tokens,output_tokens'];
    for (let n = 1; n <= 25; n++)
      rows.push(`2026-10-01T10:00:${String(n).padStart(2, '0')}Z,legacy-helpdesk,gpt-4o,${n},1`);
    rows.push('2026-10-01T11:00:00Z,helpdesk,gpt-4o,1000,1');
    const file = join(dataDir, 'usage.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);

    expect(await importUsage(file)).toMatchObject({ imported: 1, skipped: 0, bad: 25 });
    expect(await inputTokens('helpdesk')).toBe(1000);
    const add = await cli(
      'agent',
      'alias',
      'add',
      'helpdesk',
      '--source',
      'orgdeck',
      '--kind',
      'handle',
      '--value',
      'legacy-helpdesk',
    );
    expect(add, add.err).toMatchObject({ code: 0 });
    expect(add.out).toContain('orgdeck handle legacy-helpdesk now counts as Helpdesk (helpdesk)');
    // The rows left out were not marked seen: they come in now, the one already in is skipped.
    expect(await importUsage(file)).toMatchObject({ imported: 25, skipped: 1, bad: 0 });
    expect(await importUsage(file)).toMatchObject({ imported: 0, skipped: 26, bad: 0 });
    expect(await inputTokens('helpdesk')).toBe(1000 + (25 * 26) / 2);
    expect(await inputTokens('legacy-helpdesk')).toBeUndefined();
  });

  it('refuses a handle an agent has, and a handle under a provider or a provider kind under orgdeck', async () => {
    const own = await cli(
      'agent',
      'alias',
      'add',
      'helpdesk',
      '--source',
      'orgdeck',
      '--kind',
      'handle',
      '--value',
      'helpdesk',
    );
    expect(own.code).not.toBe(0);
    expect(own.err).toMatch(/helpdesk is the handle of Helpdesk/);
    const providerKind = await cli(
      'agent',
      'alias',
      'add',
      'helpdesk',
      '--source',
      'orgdeck',
      '--kind',
      'api_key',
      '--value',
      'k',
    );
    expect(providerKind.code).not.toBe(0);
    expect(providerKind.err).toMatch(/the kind is handle/);
    const handleKind = await cli(
      'agent',
      'alias',
      'add',
      'helpdesk',
      '--source',
      'openai',
      '--kind',
      'handle',
      '--value',
      'k',
    );
    expect(handleKind.code).not.toBe(0);
    expect(handleKind.err).toMatch(/not a handle/);
    expect((await cli('agent', 'alias', 'list')).out).toBe('No aliases.');
  });
});

// Org export and import, through the router and the CLI: a round trip into a fresh store keeps
// every figure and search result, ids are remapped, a failure leaves nothing, exports are limited.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backend/backend';
import type { Db } from '../../electron/backend/store/engine';
import { NO_PASSWORD } from '../../electron/backend/transfer/import-archive';
import type { ChannelOutput } from '../../shared/contract';
import type { AppError } from '../../shared/contract/envelope';
import {
  asEveryOrg,
  columnsOf,
  foreignKeysOf,
  makeTempDir,
  onPostgresProject,
  removeDir,
  tablesOf,
} from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  openBillingWorld,
  setPrice,
  unassign,
  usageRecord,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { importArchive, previewArchive, uploadText } from '../fixtures/org-archives';
import { PASSWORD, tokenSession } from '../fixtures/tenants';

const NOW = '2026-03-20T12:00:00.000Z';
const MONTHS = ['2026-01', '2026-02', '2026-03'];
const QUERIES = ['runbook', 'escalate', 'invoice', 'pager', 'customer'];

interface Source {
  world: BillingWorld;
  acme: ChannelOutput<'orgs.create'>;
  other: ChannelOutput<'orgs.create'>;
}

/**
 * An org with something in every table an org owns: agents now and gone (one moved to another
 * org, one deleted), a rate override, an inactive spell, priced and unpriced usage over three
 * months, a bound user, a policy with two versions and defaults, documents, and another org
 * beside it with look-alike data, so a leak or a mix-up would show.
 */
async function buildSource(): Promise<Source> {
  const world = openBillingWorld(NOW);
  await world.call('setup.init', {
    ownerEmail: 'owner@example.com',
    ownerName: 'Olivia Owner',
    password: PASSWORD,
  });
  const acme = await createOrg(world, 'Acme Corp', '40.00');
  const other = await createOrg(world, 'Other Org', '25.00', 'full_month');
  await world.call('orgs.update', {
    id: acme.id,
    budget: '5.00',
    contactEmail: 'it@acme.test',
    timezone: 'Europe/Berlin',
  });
  await setPrice(world, 'gpt-4o', '2.50', '10.00', '2026-01-01');
  // With cache, batch and reasoning rates, which travel with the price.
  await world.call('prices.set', {
    model: 'gpt-4o',
    input: '2.00',
    output: '8.00',
    rates: [
      { category: 'cache_read', price: '0.50' },
      { category: 'cache_write_1h', price: '4.00' },
      { category: 'input', tier: 'batch', price: '1.00' },
      { category: 'reasoning', tier: 'batch', price: '5.00' },
    ],
    from: '2026-02-01',
  });
  await setPrice(world, 'claude-x', '3.00', '15.00', '2026-01-01');

  const support = await createAgent(world, 'support');
  const sales = await createAgent(world, 'sales', '55.00');
  const roamer = await createAgent(world, 'roamer');
  const retired = await createAgent(world, 'retired');
  const helper = await createAgent(world, 'helper');
  await assign(world, support.id, acme.id, '2026-01-01T00:00:00Z');
  await assign(world, sales.id, acme.id, '2026-01-10T00:00:00Z');
  await assign(world, roamer.id, acme.id, '2026-01-01T00:00:00Z');
  await assign(world, roamer.id, other.id, '2026-02-10T00:00:00Z');
  await assign(world, retired.id, acme.id, '2026-01-01T00:00:00Z');
  await unassign(world, retired.id, '2026-01-20T00:00:00Z');
  await world.call('agents.delete', { id: retired.id });
  await assign(world, helper.id, other.id, '2026-01-01T00:00:00Z');

  // Billing terms with history travel too: a rate from February, a usage markup with a model's own.
  await world.call('orgs.update', { id: acme.id, rate: '45.00', usageMarkup: '20', from: '2026-02-01' });
  await world.call('orgs.setModelMarkup', { id: acme.id, model: 'claude-x', pct: '35', from: '2026-01-01' });
  await world.call('agents.update', { id: sales.id, rate: '60.00', from: '2026-02-15' });

  world.clock.set('2026-02-03T00:00:00Z');
  await world.call('orgs.deactivate', { id: acme.id });
  world.clock.set('2026-02-06T00:00:00Z');
  await world.call('orgs.activate', { id: acme.id });
  world.clock.set(NOW);

  const job = await world.importText(
    'usage.csv',
    csvOf([
      usageRecord('2026-01-05T10:00:00Z', 'support', 'gpt-4o', 120_000, 40_000),
      usageRecord('2026-01-05T11:00:00Z', 'retired', 'gpt-4o', 10_000, 2_000),
      usageRecord('2026-01-15T10:00:00Z', 'sales', 'claude-x', 50_000, 9_000),
      usageRecord('2026-01-20T10:00:00Z', 'roamer', 'gpt-4o', 30_000, 3_000),
      // Cache, reasoning and tier columns travel too.
      {
        ...usageRecord('2026-02-02T10:00:00Z', 'support', 'gpt-4o', 200_000, 50_000),
        cache_read_tokens: 90_000,
        cache_write_1h_tokens: 4_000,
        reasoning_tokens: 20_000,
        service_tier: 'batch',
      },
      usageRecord('2026-02-04T10:00:00Z', 'sales', 'mystery-model', 7_000, 1_000),
      usageRecord('2026-02-09T10:00:00Z', 'roamer', 'claude-x', 11_000, 1_100),
      usageRecord('2026-02-15T10:00:00Z', 'roamer', 'claude-x', 99_000, 9_900),
      usageRecord('2026-02-15T10:00:00Z', 'helper', 'gpt-4o', 77_000, 7_700),
      usageRecord('2026-03-01T00:00:00Z', 'support', 'claude-x', 1_000, 100),
      usageRecord('2026-03-10T00:00:00Z', 'sales', 'gpt-4o', 333_333, 111_111),
      usageRecord('2026-03-11T00:00:00Z', 'nobody', 'gpt-4o', 5_000, 500),
    ]),
  );
  expect(job.status).toBe('done');

  await world.call('users.create', {
    email: 'ops@acme.test',
    name: 'Acme Ops',
    role: 'user',
    boundOrgId: acme.id,
    pages: ['agents', 'knowledge'],
    password: PASSWORD,
  });
  // An admin's binding limits nothing: the account is the install's, not the org's.
  await world.call('users.create', {
    email: 'staff@msp.test',
    name: 'Staff Admin',
    role: 'admin',
    boundOrgId: acme.id,
    password: PASSWORD,
  });
  const policy = await world.call('policies.create', {
    orgId: acme.id,
    name: 'No PII',
    config: { kind: 'pii_redaction', entities: ['email'] },
  });
  await world.call('policies.update', {
    id: policy.id,
    description: 'Mask emails and phones',
    config: { kind: 'pii_redaction', entities: ['email', 'phone'] },
  });
  await world.call('policies.setDefaults', {
    orgId: acme.id,
    defaultDecision: 'deny',
    approvalTimeoutMinutes: 15,
  });
  await world.call('policies.create', {
    orgId: other.id,
    name: 'Other rule',
    config: { kind: 'tool_allowlist', tools: ['search'] },
  });

  await world.call('knowledge.add', {
    orgId: acme.id,
    title: 'Runbook',
    body: 'When the pager fires, check the queue, then escalate to the customer contact.',
    tags: ['ops'],
  });
  await world.call('knowledge.add', {
    orgId: acme.id,
    title: 'Escalation ladder',
    body: 'Escalate in this order: on-call, team lead, customer success. The runbook has the numbers.',
  });
  await world.call('knowledge.add', {
    orgId: acme.id,
    title: 'Billing FAQ',
    body: 'Every invoice is sent on the first day of the month. The customer pays within 30 days.',
    tags: ['billing', 'customer'],
  });
  await world.call('knowledge.add', {
    orgId: other.id,
    title: 'Other runbook',
    body: 'The other pager runbook: escalate to the other customer, invoice twice.',
  });
  const ownerOrg = (await world.call('orgs.list', {})).find((org) => org.isOwner);
  const shared = await world.call('knowledge.add', {
    orgId: ownerOrg?.id,
    title: 'MSP playbook',
    body: 'How we escalate for every customer.',
  });
  await world.call('knowledge.share', { id: shared.id, orgs: [acme.id] });
  // January is billed here: an install the org moves to must not bill it again.
  await world.call('statements.close', { month: '2026-01', org: acme.id });
  return { world, acme, other };
}

/** An org of the install `target`, Local, whose agent local-bot (from January 1st) used `records`. */
async function localOrgUsing(target: BillingWorld, records: ReturnType<typeof usageRecord>[]) {
  const local = await createOrg(target, 'Local', '10.00');
  const bot = await createAgent(target, 'local-bot');
  await assign(target, bot.id, local.id, '2026-01-01T00:00:00Z');
  const job = await target.importText('local.csv', csvOf(records));
  expect(job.status).toBe('done');
  return local;
}

/** A source install (buildSource) and an empty one to import into, both removed after `work`. */
async function betweenInstalls(work: (source: Source, target: BillingWorld) => Promise<void>): Promise<void> {
  const source = await buildSource();
  const target = openBillingWorld(NOW);
  try {
    await work(source, target);
  } finally {
    source.world.cleanup();
    target.cleanup();
  }
}

async function exportOrg(world: BillingWorld, id: string): Promise<string> {
  return (await world.call('orgs.export', { id })).content;
}

/** The parts of an archive the forgery tests change, typed loosely enough to forge them. */
type Some<T> = [T, ...T[]];
interface Forgeable {
  policies: Some<{ kind: string; versions: Some<{ config: unknown }> }>;
  audit: Some<{ id: number; at: string; summary: Record<string, unknown>; [field: string]: unknown }>;
  usageDaily: Some<{ day: string; inputTokens: number; records: number }>;
  assignments: Some<{ from: string }>;
  prices: Some<{ inputPico: number }>;
  org: { rateMicros: number };
  terms: Some<{ term: string; from: string; amount: number | null; mode: string | null }>;
  exportedAt: string;
  closedMonths: Some<{ month: string; closedAt: string; statement: string | null }>;
}

async function refusal(world: BillingWorld, name: string, input: unknown): Promise<AppError> {
  const envelope = await world.backend.router.call(name, input, {
    token: null,
    setToken: () => {},
    principal: {
      userId: null,
      label: 'local owner (CLI)',
      role: 'owner',
      memberships: [],
      pages: [],
      mustEnrolTwoFactor: false,
    },
  });
  if (envelope.ok) throw new Error(`${name} was expected to be refused`);
  return envelope.error as AppError;
}

type Report = ChannelOutput<'billing.margins'>;
/** A report as a person reads it: everything but the ids. */
const withoutIds = (report: Report) => ({
  ...report,
  orgs: report.orgs.map(({ id: _id, agents, ...org }) => ({
    ...org,
    agents: agents.map(({ id: _agentId, ...agent }) => agent),
  })),
});

async function figures(world: BillingWorld, orgId: string) {
  const months = [];
  for (const month of MONTHS)
    months.push(withoutIds(await world.call('billing.margins', { month, org: orgId })));
  const trend = await world.call('billing.trend', { month: '2026-03', org: orgId, months: 3 });
  return { months, trend };
}

async function searches(world: BillingWorld, orgId: string) {
  const results: Record<string, unknown[]> = {};
  for (const query of QUERIES) {
    const hits = await world.call('knowledge.search', { orgId, query });
    // Owner-org documents shared with the org belong to the owner org: they are not in its archive.
    results[query] = hits
      .filter((hit) => !hit.shared)
      .map((hit) => ({
        title: hit.title,
        snippet: hit.snippet,
        doc: { title: hit.doc.title, tags: hit.doc.tags, size: hit.doc.size, author: hit.doc.author },
      }));
  }
  return results;
}

/** Rows in every table of the store, on either engine. */
function tableCounts(backend: Backend): Promise<Record<string, number>> {
  return asEveryOrg(backend, (db) =>
    Object.fromEntries(
      tablesOf(db)
        .filter((name) => !name.startsWith('sqlite_'))
        .sort()
        .map((name) => [name, Number(db.prepare(`SELECT count(*) AS n FROM "${name}"`).pluck().get())]),
    ),
  );
}

const ORG_COLUMNS = ['org_id', 'org_key'];
/** Org-owned tables the archive deliberately leaves out, and why. */
const NOT_EXPORTED: Record<string, string> = {
  sessions: 'sign-ins of the source install mean nothing elsewhere',
  knowledge_shares: 'owner-org documents shared with the org belong to the owner org',
  api_tokens: 'credentials of the source install: imported users make their own here',
  agent_aliases: 'a provider identity stands for one agent per install: the target maps its own',
  usage_buckets:
    'like the record of seen rows: re-importing the exports into the new install counts them again',
  usage_bucket_versions: 'the counts the source install’s imports replaced, to undo them there',
  known_devices: 'browsers that signed in to the source install, not to this one',
  invites: 'invites are codes handed out by the source install: invite again here',
  invite_memberships: 'invites are codes handed out by the source install: invite again here',
  recovery_codes: 'a second factor is sealed with the source install’s key: imported users enrol again',
  statements: 'numbered in the source install’s gap-free sequence: the target issues its own (keep the PDFs)',
  statement_lines: 'what the source install’s statements billed, kept with them',
  months_closed_without_statement: 'months the source install closed, beside its statements',
  budget_alerts: 'alerts of the source install’s budget checks: this install checks the budget again',
  webhook_deliveries: 'what the source install sent to its own webhook',
  uploads: 'files being sent to the source install: send them again here',
  // PostgreSQL keeps an upload's parts in the database, for every server sharing it.
  ...(onPostgresProject()
    ? { upload_chunks: 'files being sent to the source install: send them again here' }
    : // SQLite sums a re-priced month again some rows per write, here, before its new sums replace the month's.
      {
        usage_month_resum_sums:
          'a month’s new sums being made: the archive carries the daily rows they come from',
      }),
};

/**
 * Every table that holds an org's rows: one with an org column, or a foreign key to orgs or to
 * such a table; with the SQL condition that picks one org's rows (bound to :org).
 */
function orgOwnedTables(db: Db): Map<string, string> {
  const tables = tablesOf(db).filter((name) => !name.startsWith('sqlite_'));
  const owned = new Map<string, string>([['orgs', 'id = :org']]);
  for (const table of tables) {
    const columns = columnsOf(db, table);
    const column = columns.find((name) => ORG_COLUMNS.includes(name));
    if (column && table !== 'orgs') owned.set(table, `${column} = :org`);
    // Usage tables name orgs by their integer in usage_refs.
    if (columns.includes('org') && !column)
      owned.set(table, "org = (SELECT id FROM usage_refs WHERE kind = 'org' AND name = :org)");
    // The org's members come with it; console roles hold every org and are the install's, not the org's.
    if (table === 'users')
      owned.set(table, "role = 'user' AND id IN (SELECT user_id FROM memberships WHERE org_id = :org)");
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of tables.filter((t) => !owned.has(t))) {
      const key = foreignKeysOf(db, table).find((k) => owned.has(k.table));
      if (key) {
        owned.set(table, `${key.from} IN (SELECT ${key.to} FROM ${key.table} WHERE ${owned.get(key.table)})`);
        grew = true;
      }
    }
  }
  return owned;
}

/** Rows of the org in the table; of usage_days, its keys (each import batch appends rows of its own). */
const rowsOf = (db: Db, where: string, table: string, orgId: string) =>
  Number(
    db
      .prepare(
        table === 'usage_days'
          ? `SELECT count(*) AS n FROM (SELECT DISTINCT model, day, agent FROM usage_days WHERE ${where}) AS keys`
          : `SELECT count(*) AS n FROM "${table}" WHERE ${where}`,
      )
      .pluck()
      .get({ org: orgId }),
  );

describe('an org exported and imported into a fresh store', () => {
  let source: Source;
  let target: BillingWorld;
  let archive: string;
  let imported: ChannelOutput<'orgs.importApply'>;

  beforeAll(async () => {
    source = await buildSource();
    target = openBillingWorld(NOW);
    archive = await exportOrg(source.world, source.acme.id);
    imported = await importArchive(target, archive);
  }, 60_000);

  afterAll(() => {
    source.world.cleanup();
    target.cleanup();
  });

  it('yields the same margins report and trend, month by month', async () => {
    const before = await figures(source.world, source.acme.id);
    const after = await figures(target, imported.org.id);
    expect(after).toEqual(before);
    // The fixture is not trivial: revenue, cost, an unpriced model and a budget all show.
    const feb = before.months[1];
    expect(feb?.orgs[0]?.agents.map((agent) => agent.handle)).toEqual(['roamer', 'sales', 'support']);
    expect(Number(feb?.totals.cost)).toBeGreaterThan(0);
    expect(feb?.orgs[0]?.unpriced_tokens).toBe(8_000);
    // 90,000 cache reads at $0.50 and 4,000 1-hour writes at $4; saved 90,000 × ($1 batch input − $0.50).
    expect(feb?.orgs[0]).toMatchObject({
      cache_read_tokens: 90_000,
      cache_write_tokens: 4_000,
      cost_by_category: { cache_read: '0.045000', cache_write: '0.016000' },
      cache_savings: '0.045000',
    });
    expect(feb?.orgs[0]?.budget).toBe('5.00');
    expect(imported.pricesAdded).toBe(3);
  });

  it('yields the same knowledge search results', async () => {
    const before = await searches(source.world, source.acme.id);
    const after = await searches(target, imported.org.id);
    expect(after).toEqual(before);
    expect(before.runbook).toHaveLength(2);
    expect(JSON.stringify(after)).not.toContain('Other runbook');
  });

  it('carries the org, its agents, users, policies and audit trail, and nothing of other orgs', async () => {
    const org = imported.org;
    expect(org).toMatchObject({
      slug: 'acme-corp',
      name: 'Acme Corp',
      rate: '40.00',
      budget: '5.00',
      timezone: 'Europe/Berlin',
      contactEmail: 'it@acme.test',
      agentCount: 2,
      status: 'active',
    });
    expect(org.id).not.toBe(source.acme.id);
    const agents = await target.call('agents.list', { org: org.id });
    // The rate in effect today: 55.00 until 15 February, 60.00 since (the history travelled).
    expect(agents.items.map((agent) => [agent.handle, agent.rate])).toEqual([
      ['sales', '60.00'],
      ['support', null],
    ]);
    // The agents that left are kept for the past months' bills only.
    expect((await target.call('agents.list', {})).total).toBe(2);
    const users = await target.call('users.list', {});
    expect(users.map((user) => [user.email, user.role, user.boundOrgId, user.pages])).toEqual([
      ['ops@acme.test', 'user', org.id, ['agents', 'knowledge']],
    ]);
    const [policy] = await target.call('policies.list', { orgId: org.id });
    const versions = await target.call('policies.get', { id: policy?.id });
    expect(versions.versions.map((v) => [v.version, v.config])).toEqual([
      [1, { kind: 'pii_redaction', entities: ['email'], replacement: '[redacted]' }],
      [2, { kind: 'pii_redaction', entities: ['email', 'phone'], replacement: '[redacted]' }],
    ]);
    expect(await target.call('policies.defaults', { orgId: org.id })).toEqual({
      defaultDecision: 'deny',
      approvalTimeoutMinutes: 15,
      requireDescription: false,
    });
    expect(archive).not.toContain('Other Org');
    expect(archive).not.toContain('helper');
    expect(archive).not.toContain('MSP playbook');
    expect(archive).not.toContain('scrypt');
    // Only the org's `user` accounts travel; a staff admin bound to it is the install's account.
    expect((JSON.parse(archive) as { users: { email: string }[] }).users.map((u) => u.email)).toEqual([
      'ops@acme.test',
    ]);
  });

  it('exports every org-owned table (a new one fails here until the archive carries it)', async () => {
    const owned = await asEveryOrg(source.world.backend, orgOwnedTables);
    expect([...owned.keys()].sort()).toEqual(
      expect.arrayContaining([
        'agents',
        'audit_events',
        'knowledge_docs',
        'policy_versions',
        'usage_days',
        'usage_months',
        'users',
      ]),
    );
    for (const table of Object.keys(NOT_EXPORTED)) expect(owned.has(table), table).toBe(true);
    const parsed = JSON.parse(archive) as { audit: unknown[] };
    const rowsIn = (backend: Backend, orgId: string) =>
      asEveryOrg(
        backend,
        (db) => new Map([...owned].map(([table, where]) => [table, rowsOf(db, where, table, orgId)])),
      );
    const sourceRows = await rowsIn(source.world.backend, source.acme.id);
    const targetRows = await rowsIn(target.backend, imported.org.id);
    for (const table of owned.keys()) {
      const before = sourceRows.get(table);
      const after = targetRows.get(table);
      if (table in NOT_EXPORTED) expect(after, table).toBe(0);
      // The months the source closed (its statements, kept there) are the months closed at the source here.
      else if (table === 'months_closed_at_source')
        expect(after, table).toBe(
          (sourceRows.get('statements') ?? 0) + (sourceRows.get('months_closed_without_statement') ?? 0),
        );
      else if (before === 0)
        expect.fail(`The fixture org has no rows in ${table}: give it some, and export them.`);
      // The imported trail is the archive's entries plus the import itself.
      else if (table === 'audit_events') expect(after).toBe(parsed.audit.length + 1);
      else expect(after, `${table} rows of the imported org`).toBe(before);
    }
  });

  it('records the export and the import, keeps the trail as it was, and the chain intact', async () => {
    const exported = await source.world.call('audit.list', { org: source.acme.id, action: 'export.created' });
    expect(exported.items).toHaveLength(1);
    expect(exported.items[0]?.summary).toMatchObject({ after: { agents: 2, formerAgents: 2, users: 1 } });

    const trail = await target.call('audit.list', { org: imported.org.id, pageSize: 500 });
    expect(trail.items[0]).toMatchObject({ action: 'import.applied', actor: 'local owner (CLI)' });
    const original = await source.world.call('audit.list', { org: source.acme.id, pageSize: 500 });
    const carried = trail.items.slice(1).reverse();
    const originals = original.items.filter((item) => item.action !== 'export.created').reverse();
    expect(carried.map((e) => [e.at, e.actor, e.action, e.target.type])).toEqual(
      originals.map((e) => [e.at, e.actor, e.action, e.target.type]),
    );
    const created = carried.find((entry) => entry.action === 'org.created');
    expect(created?.target.id).toBe(imported.org.id);
    expect(created?.summary).toMatchObject({
      after: { slug: 'acme-corp' },
      imported: { exportedAt: expect.any(String) },
    });
    expect(await target.call('audit.verify', {})).toMatchObject({ intact: true, firstBroken: null });
    expect(await source.world.call('audit.verify', {})).toMatchObject({ intact: true });
  });

  it('imports users without a usable password, until an admin resets it', async () => {
    const hash = await asEveryOrg(target.backend, (db) =>
      db.prepare('SELECT password_hash FROM users WHERE email = ?').pluck().get('ops@acme.test'),
    );
    expect(hash).toBe(NO_PASSWORD);
    const session = tokenSession();
    const refused = await target.backend.router.call(
      'session.signIn',
      { email: 'ops@acme.test', password: PASSWORD },
      session,
    );
    expect(refused.ok).toBe(false);
    const [user] = await target.call('users.list', {});
    await target.call('users.resetPassword', { id: user?.id, password: 'a brand new passphrase' });
    const signedIn = await target.backend.router.call(
      'session.signIn',
      { email: 'ops@acme.test', password: 'a brand new passphrase' },
      session,
    );
    expect(signedIn.ok).toBe(true);
  });

  it('does not bill again the months the source closed, and says why; later months close as usual', async () => {
    const [january] = (await source.world.call('statements.list', { org: source.acme.id })).map(
      (statement) => statement.number,
    );
    expect(january).toBeDefined();
    const again = await target.call('statements.close', { month: '2026-01', org: imported.org.id });
    expect(again).toEqual({
      issued: [],
      skipped: [
        {
          org: 'acme-corp',
          reason: `billed on statement ${january} by the Orgdeck the org was moved from: not billed again here`,
        },
      ],
    });
    // Its client sees the month as billed, on the statement it has.
    expect(
      (await target.call('statements.usage', { month: '2026-01', org: imported.org.id })).closed,
    ).toEqual({
      statement: january,
      before_move: true,
      adjusted_on: [],
      adjustment: null,
    });
    const february = await target.call('statements.close', { month: '2026-02', org: imported.org.id });
    expect(february.issued.map((statement) => statement.month)).toEqual(['2026-02']);
    // Moved on again, the org still carries the month its first install billed.
    const onward = JSON.parse(await exportOrg(target, imported.org.id)) as { closedMonths: unknown[] };
    expect(onward.closedMonths).toEqual([
      { month: '2026-01', closedAt: expect.any(String), statement: january },
      { month: '2026-02', closedAt: expect.any(String), statement: february.issued[0]?.number },
    ]);
  });

  it('names at the export the changes to closed months the source has not billed yet, which the move leaves behind', async () => {
    const { world, acme } = source;
    world.clock.set('2026-03-20T12:05:00.000Z');
    await world.call('statements.close', { month: '2026-02', org: acme.id });
    expect((await world.call('orgs.export', { id: acme.id })).unbilled).toBeNull();
    // Late usage of February, which the source closed: an adjustment (marked up 20 %) on its next statement.
    world.clock.set('2026-03-20T12:07:00.000Z');
    await world.importText(
      'late.csv',
      csvOf([usageRecord('2026-02-20T10:00:00Z', 'support', 'gpt-4o', 1_000_000, 0)]),
    );
    const pending = await world.call('statements.pending', { org: acme.id });
    expect(pending.map((adjustment) => [adjustment.for_month, adjustment.kind])).toEqual([
      ['2026-02', 'usage'],
    ]);
    const moved = await world.call('orgs.export', { id: acme.id });
    expect(moved.unbilled).toEqual({ adjustments: 1, total: pending[0]?.amount });
    // 1M input tokens at February's $2.00 per million, marked up 20 %.
    expect(moved.unbilled?.total).toBe('2.40');
  });
});

describe('an org imported into a store that prices one of its models otherwise', () => {
  it('keeps that model’s prices here, and so every other org’s cost, adding the prices of models it lacks', async () => {
    await betweenInstalls(async (source, target) => {
      // Here gpt-4o costs $9 from mid-January; the archive prices it from January 1st and February 1st.
      await setPrice(target, 'gpt-4o', '9.00', '9.00', '2026-01-15');
      const local = await localOrgUsing(target, [
        usageRecord('2026-01-20T10:00:00Z', 'local-bot', 'gpt-4o', 1_000_000, 0),
        usageRecord('2026-02-20T10:00:00Z', 'local-bot', 'gpt-4o', 1_000_000, 0),
      ]);
      const before = await figures(target, local.id);
      expect(before.months[1]?.totals.cost).toBe('9.000000');

      const archive = await exportOrg(source.world, source.acme.id);
      // claude-x only: gpt-4o's two periods are the archive's, not this install's.
      expect((await previewArchive(target, archive)).pricesToAdd).toBe(1);
      expect((await importArchive(target, archive)).pricesAdded).toBe(1);

      expect(await figures(target, local.id)).toEqual(before);
      const prices = await target.call('prices.list', {});
      expect(prices.map((price) => [price.model, price.from]).sort()).toEqual([
        ['claude-x', '2026-01-01'],
        ['gpt-4o', '2026-01-15'],
      ]);
    });
  }, 60_000);
});

describe('an agent’s rates in an org’s archive', () => {
  // Roamer served Acme from January 1st to February 10th, then Other Org, which bills full months.
  it.each([
    {
      // The rates it got at Other Org are that client's business: Acme bills none of them.
      org: 'acme' as const,
      rates: [
        ['70.00', '2026-01-20'],
        ['90.00', '2026-02-20'],
        ['99.00', '2026-03-05'],
      ],
      archived: ['2026-01-20'],
    },
    {
      // Other Org's February bills the rate of February 1st, $70, though it ended before the stay began.
      org: 'other' as const,
      rates: [
        ['70.00', '2026-01-20'],
        ['90.00', '2026-02-05'],
      ],
      archived: ['2026-01-20', '2026-02-05'],
    },
  ])(
    'are those $org bills by, and its months bill the same where it is imported',
    async ({ org, rates, archived }) => {
      const source = await buildSource();
      const target = openBillingWorld(NOW);
      try {
        const { world } = source;
        const roamer = (await world.call('agents.list', {})).items.find((agent) => agent.handle === 'roamer');
        if (!roamer) throw new Error('The source has no roamer');
        for (const [rate, from] of rates) await world.call('agents.update', { id: roamer.id, rate, from });

        const archive = await exportOrg(world, source[org].id);
        const inArchive = (JSON.parse(archive) as { agentRates: { agentId: string; from: string }[] })
          .agentRates;
        expect(inArchive.filter((rate) => rate.agentId === roamer.id).map((rate) => rate.from)).toEqual(
          archived,
        );
        const imported = await importArchive(target, archive);
        expect(await figures(target, imported.org.id)).toEqual(await figures(world, source[org].id));
      } finally {
        source.world.cleanup();
        target.cleanup();
      }
    },
    60_000,
  );
});

describe('an agent’s first rate in an org’s archive', () => {
  it('travels only where the org’s stays bill it, and the months bill the same where they are imported', async () => {
    const source = await buildSource();
    const targets = [openBillingWorld(NOW), openBillingWorld(NOW)];
    try {
      const { world, acme, other } = source;
      // Given $80 when it was made for Other Org, $60 from January 1st, then moved to Acme.
      const hopper = await createAgent(world, 'hopper', '80.00');
      await assign(world, hopper.id, other.id, '2026-01-05T00:00:00Z');
      await world.call('agents.update', { id: hopper.id, rate: '60.00', from: '2026-01-01' });
      await assign(world, hopper.id, acme.id, '2026-02-10T00:00:00Z');
      for (const [index, { org, base }] of [
        // Acme's stay bills from the $60 on: the $80 is Other Org's business.
        { org: acme, base: null },
        // Other Org's stay may bill from the last day of December (billedFrom takes a day more, for
        // a zone whose first of the month is the UTC day before): the $80 travels, though its full
        // January bills the $60 of the 1st.
        { org: other, base: 80_000_000 },
      ].entries()) {
        const archive = await exportOrg(world, org.id);
        const agents = (JSON.parse(archive) as { agents: { id: string; rateMicros: number | null }[] })
          .agents;
        expect(agents.find((agent) => agent.id === hopper.id)?.rateMicros, org.name).toBe(base);
        const target = targets[index] as BillingWorld;
        const imported = await importArchive(target, archive);
        expect(await figures(target, imported.org.id), org.name).toEqual(await figures(world, org.id));
      }
    } finally {
      source.world.cleanup();
      for (const target of targets) target.cleanup();
    }
  }, 60_000);
});

describe('an agent that left the org for another, in the org’s archive', () => {
  it('is named by its handle, with nothing the other org gave it since, and bills the same where it is imported', async () => {
    const source = await buildSource();
    const target = openBillingWorld(NOW);
    try {
      const { world, acme } = source;
      const agents = (await world.call('agents.list', {})).items;
      const roamer = agents.find((agent) => agent.handle === 'roamer');
      const support = agents.find((agent) => agent.handle === 'support');
      if (!roamer || !support) throw new Error('The source has no roamer or support');
      // Other Org, which roamer serves since February 10th, describes it as its own.
      await world.call('agents.update', {
        id: roamer.id,
        name: 'Payroll Assistant',
        email: 'payroll@other.test',
        model: 'other-finetune-7',
        status: 'paused',
        description: 'Runs Other Org’s payroll',
      });
      await world.call('agents.update', {
        id: support.id,
        email: 'support@acme.test',
        description: 'Acme helpdesk',
      });

      const archive = await exportOrg(world, acme.id);
      for (const given of [
        'Payroll Assistant',
        'payroll@other.test',
        'other-finetune-7',
        'Other Org’s payroll',
      ])
        expect(archive, given).not.toContain(given);
      const inArchive = (JSON.parse(archive) as { agents: Record<string, unknown>[] }).agents;
      expect(inArchive.find((agent) => agent.id === roamer.id)).toMatchObject({
        handle: 'roamer',
        name: 'roamer',
        email: '',
        model: '',
        status: 'stopped',
        description: '',
        updatedAt: roamer.createdAt,
        deletedAt: null,
        current: false,
      });
      // An agent the org has now travels as it is.
      expect(inArchive.find((agent) => agent.id === support.id)).toMatchObject({
        name: 'support',
        email: 'support@acme.test',
        description: 'Acme helpdesk',
        current: true,
      });
      const imported = await importArchive(target, archive);
      // The source's reports name it as Other Org does now; the money is the same.
      await world.call('agents.update', { id: roamer.id, name: 'roamer' });
      expect(await figures(target, imported.org.id)).toEqual(await figures(world, acme.id));
    } finally {
      source.world.cleanup();
      target.cleanup();
    }
  }, 60_000);
});

describe('an archive imported twice', () => {
  it('says so in the second preview, naming the org the first import made, and not for a later export', async () => {
    await betweenInstalls(async (source, target) => {
      const archive = await exportOrg(source.world, source.acme.id);
      expect((await previewArchive(target, archive)).importedBefore).toEqual([]);
      target.clock.set('2026-03-20T12:30:00.000Z');
      const first = await importArchive(target, archive);

      const again = await previewArchive(target, archive);
      expect(again.importedBefore).toEqual([
        {
          entry: expect.any(Number),
          at: '2026-03-20T12:30:00.000Z',
          org: { id: first.org.id, name: 'Acme Corp', slug: first.org.slug, deleted: false },
        },
      ]);
      // Deleted, then purged 30 days on, the org is still named, then no longer.
      for (const agent of (await target.call('agents.list', { org: first.org.id })).items)
        await unassign(target, agent.id, '2026-03-20T12:30:00Z');
      await target.call('orgs.delete', { id: first.org.id, confirmName: 'Acme Corp' });
      expect((await previewArchive(target, archive)).importedBefore[0]?.org?.deleted).toBe(true);
      target.clock.set('2026-04-25T12:00:00.000Z');
      target.reopen();
      await target.backend.resumed;
      expect((await previewArchive(target, archive)).importedBefore).toEqual([
        { entry: again.importedBefore[0]?.entry, at: '2026-03-20T12:30:00.000Z', org: null },
      ]);
      // A later export of the same org is another archive.
      source.world.clock.set('2026-03-20T12:05:00.000Z');
      expect(
        (await previewArchive(target, await exportOrg(source.world, source.acme.id))).importedBefore,
      ).toEqual([]);
    });
  }, 60_000);
});

describe('an org imported with the prices of a model this install has used unpriced', () => {
  it('prices every org’s usage of that model from those prices, as a price change here would, with a trail entry and an adjustment for a closed month', async () => {
    await betweenInstalls(async (source, target) => {
      // The archive prices claude-x at $3/$15 a million from January 1st, $6/$30 from February 15th
      // (mid-month: February is summed again from its days).
      await setPrice(source.world, 'claude-x', '6.00', '30.00', '2026-02-15');
      const local = await localOrgUsing(target, [
        usageRecord('2026-01-20T10:00:00Z', 'local-bot', 'claude-x', 1_000_000, 0),
        usageRecord('2026-02-10T10:00:00Z', 'local-bot', 'claude-x', 1_000_000, 0),
        usageRecord('2026-02-20T10:00:00Z', 'local-bot', 'claude-x', 0, 1_000_000),
        usageRecord('2026-03-05T10:00:00Z', 'local-bot', 'claude-x', 1_000_000, 0),
      ]);
      await target.call('statements.close', { month: '2026-01', org: local.id });
      const costs = async () =>
        (await figures(target, local.id)).months.map((month) => [
          month.totals.cost,
          month.totals.unpriced_tokens,
        ]);
      expect(await costs()).toEqual([
        ['0.000000', 1_000_000],
        ['0.000000', 2_000_000],
        ['0.000000', 1_000_000],
      ]);

      // An hour after the close, on both installs (March's figures run to now).
      for (const world of [source.world, target]) world.clock.set('2026-03-20T13:00:00.000Z');
      const imported = await importArchive(target, await exportOrg(source.world, source.acme.id));
      expect(imported.pricesAdded).toBe(4);

      // January: 1M input at $3. February: 1M input at $3 on the 10th, 1M output at $30 on the 20th.
      // March: 1M input at $6.
      expect(await costs()).toEqual([
        ['3.000000', 0],
        ['33.000000', 0],
        ['6.000000', 0],
      ]);
      // The imported org's own usage is priced as it was where it came from.
      expect(await figures(target, imported.org.id)).toEqual(await figures(source.world, source.acme.id));
      // Each period added is in the trail as a price set here, saying where it came from.
      const trail = await target.call('audit.list', { action: 'price.set' });
      const from = { slug: 'acme-corp', exportedAt: expect.any(String) };
      expect(
        trail.items
          .filter((entry) => entry.target.id === 'claude-x')
          .map((entry) => entry.summary)
          .reverse(),
      ).toEqual([
        { after: { from: '2026-01-01', input: '3.00', output: '15.00', rates: [] }, fromArchive: from },
        { after: { from: '2026-02-15', input: '6.00', output: '30.00', rates: [] }, fromArchive: from },
      ]);
      expect(trail.items).toHaveLength(4);
      // January was billed unpriced: its cost now is owed on the next statement, and says why.
      const pending = await target.call('statements.pending', { org: local.id });
      expect(pending.map((adjustment) => [adjustment.for_month, adjustment.kind, adjustment.reason])).toEqual(
        [['2026-01', 'usage', 'Price of claude-x changed (20 March 2026)']],
      );
    });
  }, 60_000);
});

describe('an imported org’s trail and the other orgs’ statements', () => {
  it('gives no other org’s adjustment a reason from the trail an archive brought along', async () => {
    await betweenInstalls(async (source, target) => {
      const forged = JSON.parse(await exportOrg(source.world, source.acme.id)) as Forgeable;
      const madeAt = Date.parse(forged.exportedAt);
      const at = (minutes: number) => new Date(madeAt + minutes * 60_000).toISOString();
      target.clock.set(at(-30));
      await setPrice(target, 'gpt-4o', '2.00', '2.00', '2026-01-01');
      const local = await localOrgUsing(target, [
        usageRecord('2026-02-20T10:00:00Z', 'local-bot', 'gpt-4o', 1_000_000, 0),
      ]);
      target.clock.set(at(-10));
      await target.call('statements.close', { month: '2026-02', org: local.id });
      // An entry of the archive's trail dated after Local's February was billed, as a price change.
      forged.audit.push({
        id: Math.max(...forged.audit.map((entry) => entry.id)) + 1,
        at: at(-5),
        actorId: null,
        actorLabel: 'Someone elsewhere',
        action: 'price.set',
        targetType: 'price',
        targetId: 'gpt-4o',
        summary: {},
      });
      target.clock.set(at(1));
      await importArchive(target, JSON.stringify(forged));
      target.clock.set(at(2));
      await target.importText(
        'late.csv',
        csvOf([usageRecord('2026-02-21T10:00:00Z', 'local-bot', 'gpt-4o', 1_000_000, 0)]),
      );
      const [adjustment] = await target.call('statements.pending', { org: local.id });
      // Not "price of gpt-4o changed", which the archive's trail says of its own install.
      expect(adjustment?.reason).toBe('Late usage import late.csv (20 March 2026)');
    });
  }, 60_000);
});

describe('importing into a store that has the org already', () => {
  let source: Source;
  let archive: string;

  beforeAll(async () => {
    source = await buildSource();
    archive = await exportOrg(source.world, source.acme.id);
  }, 60_000);

  afterAll(() => source.world.cleanup());

  it('asks for a new slug, renames taken handles, keeps existing accounts', async () => {
    const { world } = source;
    const seen = await previewArchive(world, archive);
    expect(seen).toMatchObject({
      org: { name: 'Acme Corp', slug: 'acme-corp' },
      slug: { taken: true, takenBy: 'Acme Corp', suggestion: 'acme-corp-2' },
      counts: {
        users: 1,
        agents: 2,
        formerAgents: 2,
        policies: 1,
        policyVersions: 2,
        knowledge: 3,
        prices: 3,
        closedMonths: 1,
      },
      pricesToAdd: 0,
      renamedHandles: expect.arrayContaining([
        { handle: 'support', importedAs: 'support-2' },
        { handle: 'sales', importedAs: 'sales-2' },
      ]),
      skippedUsers: [{ email: 'ops@acme.test', name: 'Acme Ops' }],
    });
    const counts = await tableCounts(world.backend);
    const conflict = await refusal(world, 'orgs.importApply', { importId: seen.importId });
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toContain('acme-corp');
    expect(await tableCounts(world.backend)).toEqual(counts);

    const done = await world.call('orgs.importApply', { importId: seen.importId, slug: 'acme-copy' });
    expect(done.org).toMatchObject({ slug: 'acme-copy', name: 'Acme Corp', agentCount: 2 });
    expect(done.skippedUsers).toEqual([{ email: 'ops@acme.test', name: 'Acme Ops' }]);
    const ops = (await world.call('users.list', { search: 'ops@acme.test' }))[0];
    expect(ops?.boundOrgId).toBe(source.acme.id);
    // A preview is used once.
    expect(
      (await refusal(world, 'orgs.importApply', { importId: seen.importId, slug: 'acme-again' })).code,
    ).toBe('NOT_FOUND');
  });

  it('remaps every id: the same archive imported twice gives two separate orgs with the same figures', async () => {
    const { world } = source;
    const first = await importArchive(world, archive, 'acme-one');
    const second = await importArchive(world, archive, 'acme-two');
    expect(new Set([source.acme.id, first.org.id, second.org.id]).size).toBe(3);
    const original = await figures(world, source.acme.id);
    const slugged = (slug: string) => ({
      ...original,
      months: original.months.map((m) => ({ ...m, orgs: m.orgs.map((o) => ({ ...o, slug })) })),
    });
    // Handles taken by the first copies get a suffix, so compare figures by position.
    const handleless = (f: Awaited<ReturnType<typeof figures>>) => ({
      ...f,
      months: f.months.map((m) => ({
        ...m,
        orgs: m.orgs.map((o) => ({ ...o, agents: o.agents.map(({ handle: _h, ...a }) => a) })),
      })),
    });
    expect(handleless(await figures(world, first.org.id))).toEqual(handleless(slugged('acme-one')));
    expect(handleless(await figures(world, second.org.id))).toEqual(handleless(slugged('acme-two')));
    const firstAgents = await world.call('agents.list', { org: first.org.id });
    const secondAgents = await world.call('agents.list', { org: second.org.id });
    const ids = [...firstAgents.items, ...secondAgents.items].map((agent) => agent.id);
    expect(new Set(ids).size).toBe(4);
    expect(await world.call('audit.verify', {})).toMatchObject({ intact: true });
    // The original is untouched by its copies.
    expect((await world.call('agents.list', { org: source.acme.id })).items.map((a) => a.handle)).toEqual([
      'sales',
      'support',
    ]);
  });

  it('leaves the store exactly as it was when an import fails halfway', async () => {
    const { world } = source;
    const store = world.backend.store;
    const seen = await previewArchive(world, archive);
    const counts = await tableCounts(world.backend);
    const revision = store.billingRevision.current();
    const insertNow = store.audit.insertNow;
    let calls = 0;
    // The audit trail is written last: fail on its third entry, after every other section is in.
    store.audit.insertNow = (row) => {
      if (++calls === 3) throw new Error('disk full');
      insertNow(row);
    };
    try {
      const failed = await world.backend.router.call(
        'orgs.importApply',
        { importId: seen.importId, slug: 'acme-broken' },
        {
          token: null,
          setToken: () => {},
          principal: {
            userId: null,
            label: 'cli',
            role: 'owner',
            memberships: [],
            pages: [],
            mustEnrolTwoFactor: false,
          },
        },
      );
      expect(failed.ok).toBe(false);
    } finally {
      store.audit.insertNow = insertNow;
    }
    expect(calls).toBe(3);
    // The org's daily usage was written before the failure, and has left again. Only the integers
    // usage tables would have named its org and agents by stay: they name nothing.
    const withoutRefs = ({ usage_refs: _refs, ...rest }: Record<string, number>) => rest;
    expect(withoutRefs(await tableCounts(world.backend))).toEqual(withoutRefs(counts));
    expect(store.billingRevision.current()).toBe(revision);
    expect((await world.call('orgs.list', { search: 'acme-broken' })).length).toBe(0);
    expect(await world.call('audit.verify', {})).toMatchObject({ intact: true });
    // Nothing was half-done, so the same preview still applies.
    const done = await world.call('orgs.importApply', { importId: seen.importId, slug: 'acme-broken' });
    expect(done.org.slug).toBe('acme-broken');
  });

  it.skipIf(onPostgresProject())(
    'answers a write made while a large archive is imported before the import ends, and shows no half org meanwhile',
    async () => {
      const { world } = source;
      const big = JSON.parse(archive) as { usageDaily: Record<string, unknown>[] };
      const [row] = big.usageDaily;
      const day = (i: number) =>
        new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000).toISOString().slice(0, 10);
      big.usageDaily = Array.from({ length: 30_000 }, (_, i) => ({
        ...row,
        model: `bulk-model-${Math.floor(i / 700)}`,
        day: day(i),
        inputTokens: i + 1,
      }));
      const seen = await previewArchive(world, JSON.stringify(big));
      const events: string[] = [];
      const applying = world
        .call('orgs.importApply', { importId: seen.importId, slug: 'acme-large' })
        .then(() => events.push('import answered'));
      // Once the import is writing the archive's usage (its first rows are in, its org is not)…
      const usageRows = world.backend.store.db.prepare('SELECT count(*) FROM usage_days').pluck();
      const before = Number(usageRows.get());
      while (Number(usageRows.get()) === before) await new Promise((resolve) => setImmediate(resolve));
      // …a write to another org is answered, and the imported org is not listed yet.
      await world.call('orgs.update', { id: source.other.id, contactName: 'Edited meanwhile' });
      events.push('update answered');
      const listed = await world.call('orgs.list', { search: 'acme-large' });
      events.push(listed.length === 0 ? 'no org yet' : 'org listed');
      await applying;
      expect(events).toEqual(['update answered', 'no org yet', 'import answered']);
      const [imported] = await world.call('orgs.list', { search: 'acme-large' });
      expect(imported?.slug).toBe('acme-large');
      expect(Number(usageRows.get())).toBe(before + 30_000);
    },
  );

  it('refuses a file that is not an archive, or a damaged one, changing nothing', async () => {
    const { world } = source;
    const counts = await tableCounts(world.backend);
    const notJson = await refusal(world, 'orgs.importPreview', {
      uploadId: await uploadText(world, 'x.json', 'hello'),
    });
    expect(notJson).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('not JSON') });
    const other = await refusal(world, 'orgs.importPreview', {
      uploadId: await uploadText(world, 'x.json', '{"name":"not an archive"}'),
    });
    expect(other.message).toContain('not an Orgdeck org archive');
    const newer = JSON.stringify({ ...JSON.parse(archive), version: 2 });
    expect(
      (await refusal(world, 'orgs.importPreview', { uploadId: await uploadText(world, 'x.json', newer) }))
        .message,
    ).toContain('Update Orgdeck');
    // A late section damaged: the last audit entry's time is not a time.
    const damaged = JSON.parse(archive);
    damaged.audit.at(-1).at = 'yesterday';
    const bad = await refusal(world, 'orgs.importPreview', {
      uploadId: await uploadText(world, 'x.json', JSON.stringify(damaged)),
    });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toMatch(/damaged at audit\.\d+\.at/);
    // An assignment of an agent the archive does not have.
    const dangling = JSON.parse(archive);
    dangling.assignments[0].agentId = '00000000-0000-4000-8000-000000000000';
    expect(
      (
        await refusal(world, 'orgs.importPreview', {
          uploadId: await uploadText(world, 'x.json', JSON.stringify(dangling)),
        })
      ).message,
    ).toContain('Not an agent of the archive');
    expect(await tableCounts(world.backend)).toEqual(counts);
  });

  // Issue 14, finding 9: an archive is checked with the channels' own rules, and names the place.
  it('refuses forged archives (a policy kind, a provenance mark, a day, a count), naming the place and changing nothing', async () => {
    const { world } = source;
    const counts = await tableCounts(world.backend);
    const refusedWith = async (forge: (archive: Forgeable) => void) => {
      const forged = JSON.parse(archive) as Forgeable;
      forge(forged);
      const error = await refusal(world, 'orgs.importPreview', {
        uploadId: await uploadText(world, 'forged.json', JSON.stringify(forged)),
      });
      expect(error.code).toBe('VALIDATION');
      return error.message;
    };
    expect(
      await refusedWith((forged) => {
        forged.policies[0].kind = 'evil_kind';
      }),
    ).toMatch(/damaged at policies\.0\.kind: Not a policy kind/);
    expect(
      await refusedWith((forged) => {
        forged.policies[0].versions[0].config = { kind: 'evil_kind' };
      }),
    ).toMatch(/damaged at policies\.0\.versions\.0\.config/);
    expect(
      await refusedWith((forged) => {
        forged.policies[0].kind = forged.policies[0].kind === 'topic_block' ? 'spend_limit' : 'topic_block';
      }),
    ).toMatch(/damaged at policies\.0\.versions\.\d+\.config\.kind/);
    expect(
      await refusedWith((forged) => {
        forged.audit[0].summary.imported = false;
      }),
    ).toMatch(/damaged at audit\.0\.summary\.imported: Not a mark of an earlier import/);
    expect(
      await refusedWith((forged) => {
        forged.usageDaily[0].day = '2026-02-31';
      }),
    ).toMatch(/damaged at usageDaily\.0\.day: Use a real calendar day/);
    expect(
      await refusedWith((forged) => {
        forged.usageDaily[0].inputTokens = Number.MAX_SAFE_INTEGER;
        forged.usageDaily[0].records = 1;
      }),
    ).toMatch(/damaged at usageDaily\.0\.inputTokens: At most 1000000000000 tokens per record/);
    expect(
      await refusedWith((forged) => {
        forged.assignments[0].from = '0001-01-01T00:00:00Z';
      }),
    ).toMatch(/damaged at assignments\.0\.from: Use a date from 2000 through 2100/);
    expect(
      await refusedWith((forged) => {
        forged.prices[0].inputPico = Number.MAX_SAFE_INTEGER;
      }),
    ).toMatch(/damaged at prices\.0\.inputPico/);
    // Money below a cent, which no channel takes: $40.005 would bill $40.01 or $40.005 by billing mode.
    expect(
      await refusedWith((forged) => {
        forged.org.rateMicros = 40_005_000;
      }),
    ).toMatch(/damaged at org\.rateMicros: An amount is in whole cents/);
    expect(
      await refusedWith((forged) => {
        // Acme's $45 rate from February, a hundredth of a cent more.
        const rate = forged.terms.find((term) => term.term === 'rate' && term.amount === 45_000_000);
        if (rate) rate.amount = 45_000_100;
      }),
    ).toMatch(/damaged at terms\.\d+\.amount: An amount is in whole cents/);
    // Months said to be closed where the archive came from are never billed here: each must be one
    // that install could have closed, on a statement number it could have issued.
    expect(
      await refusedWith((forged) => {
        forged.closedMonths.push({ ...forged.closedMonths[0] });
      }),
    ).toMatch(/damaged at closedMonths: A month is listed twice/);
    expect(
      await refusedWith((forged) => {
        forged.closedMonths[0].month = '2026-03';
      }),
    ).toMatch(/damaged at closedMonths\.0\.closedAt: A month is closed once it is over/);
    expect(
      await refusedWith((forged) => {
        forged.closedMonths.push({ month: '2026-02', closedAt: '2099-03-01T00:00:00.000Z', statement: null });
      }),
    ).toMatch(/closedMonths\.1\.closedAt: Closed after the archive was made/);
    expect(
      await refusedWith((forged) => {
        forged.closedMonths[0].statement = 'Paid in full, nothing owed';
      }),
    ).toMatch(/damaged at closedMonths\.0\.statement: Not a statement number/);
    // Dated ahead of today, an archive could close months not yet over, never billed here.
    expect(
      await refusedWith((forged) => {
        forged.exportedAt = '2099-12-31T00:00:00.000Z';
        forged.closedMonths.push({ month: '2099-11', closedAt: '2099-12-01T00:00:00.000Z', statement: null });
      }),
    ).toMatch(/damaged at exportedAt: it says it was made on 2099-12-31, after today/);
    // Nor a trail entry recorded after it: it would pass for a change made here since.
    expect(
      await refusedWith((forged) => {
        forged.audit[0].at = '2099-01-01T00:00:00.000Z';
      }),
    ).toMatch(/damaged at audit\.0\.at: Recorded after the archive was made/);
    // Money and markups no screen or command could set: statement totals past what sums exactly.
    expect(
      await refusedWith((forged) => {
        forged.org.rateMicros = 9_000_000_000_000_000;
      }),
    ).toMatch(/damaged at org\.rateMicros: An amount is at most \$999,999,999\.99/);
    expect(
      await refusedWith((forged) => {
        forged.terms.push({ term: 'usage_markup', from: '2026-02-01', amount: 100_001, mode: null });
      }),
    ).toMatch(
      /damaged at terms\.\d+\.amount: An amount is at most \$999,999,999\.99, a markup at most 1000%/,
    );
    expect(await tableCounts(world.backend)).toEqual(counts);
  });

  it('marks every imported audit entry as imported, whatever the archive says', async () => {
    const { world } = source;
    const forged = JSON.parse(archive);
    // A well-formed mark that claims another origin is replaced by this import's.
    forged.audit[0].summary.imported = { entry: 999_999, exportedAt: '2020-01-01T00:00:00Z' };
    const done = await importArchive(world, JSON.stringify(forged), 'acme-marked');
    const trail = await world.call('audit.list', { org: done.org.id, pageSize: 500 });
    const carried = trail.items.filter((entry) => entry.action !== 'import.applied');
    expect(carried).toHaveLength(forged.audit.length);
    for (const entry of carried)
      expect(entry.summary.imported).toEqual({ entry: expect.any(Number), exportedAt: forged.exportedAt });
    expect(carried.map((entry) => (entry.summary.imported as { entry: number }).entry)).not.toContain(
      999_999,
    );
  });
});

describe('an org whose provider buckets a re-export moved to another of its agents', () => {
  const worlds: BillingWorld[] = [];
  afterEach(() => {
    for (const world of worlds.splice(0)) world.cleanup();
  });

  it('exports without the groups the move emptied, and imports into a fresh store with the same figures', async () => {
    const now = '2026-10-20T00:00:00Z';
    const source = openBillingWorld(now);
    const target = openBillingWorld(now);
    worlds.push(source, target);
    const acme = await createOrg(source, 'Acme', '30.00');
    const support = await createAgent(source, 'support-bot');
    const triage = await createAgent(source, 'triage-bot');
    for (const agent of [support, triage]) await assign(source, agent.id, acme.id, '2026-09-01T00:00:00Z');
    await setPrice(source, 'claude-sonnet-4-5-20250929', '3.00', '15.00', '2026-01-01');
    const key = { source: 'anthropic', kind: 'api_key', value: 'apikey_01Support' };
    const anthropic = readFileSync(
      join(__dirname, '../fixtures/usage-exports/anthropic-messages-usage.json'),
      'utf8',
    );
    // The key's two buckets of 1 October (standard and batch) count for support-bot, then move to
    // triage-bot: support-bot's day keeps a row of the counts and one taking them back, summing to 0.
    await source.call('aliases.add', { ...key, agentId: support.id });
    expect(await source.importText('anthropic.json', anthropic)).toMatchObject({ imported: 2 });
    await source.call('aliases.remove', key);
    await source.call('aliases.add', { ...key, agentId: triage.id });
    expect(await source.importText('anthropic.json', anthropic)).toMatchObject({ imported: 2, skipped: 0 });

    const archive = await exportOrg(source, acme.id);
    const imported = await importArchive(target, archive);

    const october = async (world: BillingWorld, orgId: string) => ({
      month: withoutIds(await world.call('billing.margins', { month: '2026-10', org: orgId })),
      trend: await world.call('billing.trend', { month: '2026-10', org: orgId, months: 2 }),
    });
    const before = await october(source, acme.id);
    expect(await october(target, imported.org.id)).toEqual(before);
    // Sonnet has only input and output prices: cache reads and writes at the input price. Standard:
    // (15,000 + 480,000 reads + 20,000 + 4,000 writes) × $3 = $1.557 + 9,000 × $15 = $0.135;
    // batch (at the standard prices): 250,000 × $3 = $0.75 + 2,000 × $15 = $0.03. All triage-bot's.
    expect(before.month.totals.cost).toBe('2.472000');
    expect(before.month.orgs[0]?.agents.map((agent) => [agent.handle, agent.cost])).toEqual([
      ['support-bot', '0.000000'],
      ['triage-bot', '2.472000'],
    ]);
    // The archive has triage-bot's two days and nothing of support-bot's emptied ones.
    const usageDays = (JSON.parse(archive) as { usageDaily: { agentId: string; records: number }[] })
      .usageDaily;
    expect(usageDays.map((row) => [row.agentId, row.records])).toEqual([
      [triage.id, 1],
      [triage.id, 1],
    ]);
  });
});

describe('exports', () => {
  let source: Source;

  beforeAll(async () => {
    source = await buildSource();
  }, 60_000);

  afterAll(() => source.world.cleanup());

  it('are limited to one per org per minute, with when to retry', async () => {
    const { world, acme, other } = source;
    await exportOrg(world, acme.id);
    world.clock.set(Date.parse(NOW) + 15_000);
    const limited = await refusal(world, 'orgs.export', { id: acme.id });
    expect(limited).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Acme Corp was exported less than a minute ago: try again in 45 seconds.',
      details: { retryAfterSeconds: 45 },
    });
    // Another org has its own allowance.
    await exportOrg(world, other.id);
    world.clock.set(Date.parse(NOW) + 60_000);
    await exportOrg(world, acme.id);
    const exports = await world.call('audit.list', { action: 'export.created' });
    expect(exports.items.map((e) => e.orgId)).toEqual([acme.id, other.id, acme.id]);
  });

  it('are for owners and admins only, and never of the owner org or a deleted one', async () => {
    const { world, acme } = source;
    const session = tokenSession();
    await world.call('session.signIn', { email: 'ops@acme.test', password: PASSWORD }, session);
    const own = await world.backend.router.call('orgs.export', { id: acme.id }, session);
    expect(own).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const ownerOrg = (await world.call('orgs.list', {})).find((org) => org.isOwner);
    expect((await refusal(world, 'orgs.export', { id: ownerOrg?.id })).code).toBe('CONFLICT');
    expect((await refusal(world, 'orgs.export', { id: '00000000-0000-4000-8000-000000000000' })).code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('the CLI', () => {
  let source: Source;
  let dir: string;
  afterEach(() => {
    source.world.cleanup();
    // The fresh store's own (its database too, on PostgreSQL), then the rest.
    removeDir(join(dir, 'fresh'));
    removeDir(dir);
  });

  it('exports with `export --org --out` and imports with `import FILE`, previewing first', async () => {
    source = await buildSource();
    dir = makeTempDir('orgdeck-transfer-cli-');
    // runCliIn names each data directory's store: on PostgreSQL the world's database, and a database
    // of its own for the fresh store.
    const atSource = (args: string[]) => runCliIn(source.world.dataDir, args);
    const atFresh = (args: string[]) => runCliIn(join(dir, 'fresh'), args);
    const file = join(dir, 'acme.json');
    // Late usage of January, which the source billed: $3.00 at cost, claude-x marked up 35 %.
    await source.world.importText(
      'late.csv',
      csvOf([usageRecord('2026-01-20T10:00:00Z', 'sales', 'claude-x', 1_000_000, 0)]),
    );
    source.world.backend.close();
    const exported = await atSource(['export', '--org', 'acme-corp', '--out', file]);
    expect(exported).toMatchObject({
      code: 0,
      out: expect.stringContaining(`Exported Acme Corp (acme-corp) to ${file}`),
    });
    expect(exported.out).toContain(
      '1 change to months closed here (4.05 USD) not billed yet, and not in this file: the Orgdeck it moves to will not bill it. To bill it, close the next month here (orgdeck statement close) before the move, then export again.',
    );
    expect((await atSource(['export', '--org', 'acme-corp', '--out', file])).err).toContain('exists already');

    const looked = await atFresh(['import', file]);
    expect(looked.code).toBe(0);
    expect(looked.out).toContain('Organization Acme Corp (acme-corp)');
    expect(looked.out).toMatch(/1 {2}users \(no password: reset/);
    expect(looked.err).toContain('Nothing imported: run again with --yes');
    expect((await atFresh(['org', 'list', '--json'])).out).not.toContain('acme-corp');

    const applied = await atFresh(['import', file, '--yes']);
    expect(applied).toMatchObject({
      code: 0,
      out: expect.stringContaining('Imported Acme Corp as acme-corp'),
    });
    for (const month of MONTHS) {
      const args = ['report', 'margins', '--month', month, '--org', 'acme-corp', '--format', 'csv'];
      const here = await atSource(args);
      const there = await atFresh(args);
      expect(there.out).toBe(here.out);
      expect(here.out.split('\n').length).toBeGreaterThan(2);
    }
    const search = ['knowledge', 'search', '--org', 'acme-corp', 'runbook'];
    expect((await atFresh(search)).out).toBe((await atSource(search)).out);

    const again = await atSource(['import', file, '--yes']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('Run again with --slug NEW (e.g. --slug acme-corp-2)');
    const renamed = await atSource(['import', file, '--yes', '--slug', 'acme-corp-2']);
    expect(renamed.out).toContain('support → support-2');
    expect(renamed.out).toContain('Imported Acme Corp as acme-corp-2');
    source.world.reopen();
  }, 60_000);
});

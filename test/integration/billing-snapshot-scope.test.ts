// The billing snapshot (services/billing-snapshot.ts) keeps every org's billing inputs for every
// caller until the billing revision moves. Whoever's call reloads it, it must hold every org: on
// PostgreSQL a read in an org user's call sees only that org's rows (row-level security), so a
// snapshot loaded there once held that org alone, and the owner's margins lost every other org's
// revenue until the next billing change. What each caller is answered stays within its scope.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import { OrgScope } from '../../electron/backend/store/org-scope';
import { onPostgresProject } from '../fixtures/backend';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  margins,
  openBillingWorld,
  setPrice,
  usageRecord,
} from '../fixtures/billing';
import { PASSWORD, tokenSession } from '../fixtures/tenants';

const MONTH = '2026-03';

const worlds: BillingWorld[] = [];
afterEach(() => {
  for (const world of worlds.splice(0)) world.cleanup();
});

/**
 * Acme and Globex, each with an agent, a rate, marked-up usage in March; a third agent in Acme
 * for half of March, in Globex since (its agent row is Globex's now). A billing user of Acme.
 */
async function buildWorld() {
  const world = openBillingWorld('2026-04-10T00:00:00Z');
  worlds.push(world);
  await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-01-01');
  const acme = await createOrg(world, 'Acme', '40.00');
  const globex = await createOrg(world, 'Globex', '25.00');
  for (const org of [acme, globex])
    await world.call('orgs.update', { id: org.id, usageMarkup: '50', from: '2026-03-01' });
  const ann = await createAgent(world, 'ann');
  const gus = await createAgent(world, 'gus');
  const mover = await createAgent(world, 'mover');
  await assign(world, ann.id, acme.id, '2026-03-01T00:00:00Z');
  await assign(world, gus.id, globex.id, '2026-03-01T00:00:00Z');
  await assign(world, mover.id, acme.id, '2026-03-01T00:00:00Z');
  await assign(world, mover.id, globex.id, '2026-03-16T00:00:00Z');
  await world.importText(
    'march.csv',
    csvOf([
      usageRecord('2026-03-05T10:00:00Z', 'ann', 'gpt-test', 1_000_000, 100_000),
      usageRecord('2026-03-06T10:00:00Z', 'gus', 'gpt-test', 2_000_000, 50_000),
      usageRecord('2026-03-07T10:00:00Z', 'mover', 'gpt-test', 300_000, 0),
      usageRecord('2026-03-20T10:00:00Z', 'mover', 'gpt-test', 400_000, 10_000),
    ]),
  );
  const email = 'money@acme.test';
  await world.call('users.create', {
    email,
    name: 'Acme money',
    role: 'user',
    pages: ['billing'],
    password: PASSWORD,
  });
  await world.call('members.put', { email, orgId: acme.id, role: 'billing' });
  const acmeBilling: CallSession = tokenSession();
  await world.call('session.signIn', { email, password: PASSWORD }, acmeBilling);
  // Whatever loaded the snapshot so far, the next report reloads it.
  await world.call('orgs.update', { id: globex.id, rate: '30.00' });
  return { world, acme, globex, acmeBilling };
}

type Built = Awaited<ReturnType<typeof buildWorld>>;

const acmeUsage = ({ world, acme, acmeBilling }: Built) =>
  world.call('statements.usage', { month: MONTH, org: acme.id }, acmeBilling);

/** The owner's month, by org slug and agent handle (ids differ from one world to the next). */
async function ownerFigures({ world }: Built) {
  const report = await margins(world, MONTH);
  return {
    orgs: Object.fromEntries(
      report.orgs.map((org) => [
        org.slug,
        {
          revenue: org.revenue,
          revenue_agents: org.revenue_agents,
          revenue_usage: org.revenue_usage,
          minimum_topup: org.minimum_topup,
          cost: org.cost,
          margin: org.margin,
          agents: Object.fromEntries(
            org.agents.map((agent) => [agent.handle, { revenue: agent.revenue, cost: agent.cost }]),
          ),
        },
      ]),
    ),
    totals: report.totals,
  };
}

describe('the billing snapshot, reloaded by an org user’s call', () => {
  it('holds every org: the owner’s margins are the same whoever reloaded it first', async () => {
    // The owner reloads first.
    const ownerFirst = await buildWorld();
    const expected = await ownerFigures(ownerFirst);
    const acmeAfterOwner = await acmeUsage(ownerFirst);

    // Acme's billing user reloads first.
    const orgFirst = await buildWorld();
    const acmeFirst = await acmeUsage(orgFirst);
    const seen = await ownerFigures(orgFirst);

    // Both orgs bill something: agent fees and marked-up usage.
    for (const slug of ['acme', 'globex']) {
      expect(expected.orgs[slug]?.revenue_agents).not.toBe('0.00');
      expect(expected.orgs[slug]?.revenue_usage).not.toBe('0.00');
    }
    expect(seen).toEqual(expected);

    // Acme's user sees Acme alone, the same either way: its org, its agents' usage, no cost.
    for (const answer of [acmeFirst, acmeAfterOwner]) {
      expect(answer.org.slug).toBe('acme');
      expect(new Set(answer.rows.map((row) => row.agent.handle))).toEqual(new Set(['ann', 'mover']));
      expect(JSON.stringify(answer)).not.toMatch(/globex|gus|cost|margin/i);
    }
    expect(acmeFirst.rows).toEqual(acmeAfterOwner.rows);
  });

  it('answers an org user within its org after the owner reloaded it', async () => {
    const built = await buildWorld();
    await ownerFigures(built);
    // The owner's snapshot holds Globex too; Acme's user is still refused Globex.
    const refused = await built.world.backend.router.call(
      'statements.usage',
      { month: MONTH, org: built.globex.id },
      built.acmeBilling,
    );
    expect(refused.ok).toBe(false);
    const refusedMargins = await built.world.backend.router.call(
      'billing.margins',
      { month: MONTH },
      built.acmeBilling,
    );
    expect(refusedMargins.ok).toBe(false);
  });
});

describe('a step of a call read as the server (Store.readAsServer)', () => {
  it('sees every org, and the call sees its own orgs again after, even when the step throws', async () => {
    const { world, acme, globex } = await buildWorld();
    const { store } = world.backend;
    const orgIds = () => new Set(store.db.prepare<[], string>('SELECT id FROM orgs').pluck().all());
    const { everyOrg } = world.backend;
    const seen = await store.call(async (enter) => {
      enter(OrgScope.mint(new Set([acme.id])));
      const before = orgIds();
      const inStep = store.readAsServer(everyOrg, orgIds);
      const afterStep = orgIds();
      const failures: unknown[] = [];
      for (const failing of [
        () => {
          orgIds();
          throw new Error('the step failed');
        },
        // A failed statement: the step's savepoint is rolled back, the call goes on.
        () => store.db.prepare('SELECT * FROM no_such_table').get(),
      ]) {
        try {
          store.readAsServer(everyOrg, failing);
        } catch (error) {
          failures.push(error);
        }
      }
      return { before, inStep, afterStep, afterFailures: orgIds(), failures: failures.length };
    });
    expect(seen.failures).toBe(2);
    expect([...seen.inStep]).toEqual(expect.arrayContaining([acme.id, globex.id]));
    // SQLite scopes by OrgScope, not by what the connection names: a bare read there sees all.
    const callSees = onPostgresProject() ? new Set([acme.id]) : seen.inStep;
    expect(seen.before).toEqual(callSees);
    expect(seen.afterStep).toEqual(callSees);
    expect(seen.afterFailures).toEqual(callSees);
  });
});

// The home page's one channel: what needs attention in a month. Every expected figure is worked
// out by hand in the comments next to it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  openBillingWorld,
  setPrice,
  usageRecord,
} from '../fixtures/billing';

let world: BillingWorld;

beforeEach(() => {
  world = openBillingWorld('2026-04-10T00:00:00Z');
});

afterEach(() => world.cleanup());

describe('home.attention', () => {
  it('names the lowest margins, the costliest agents, budgets over the line, unpriced models and unattributed usage, for every org or one', async () => {
    const alpha = await createOrg(world, 'Alpha', '31.00');
    const beta = await createOrg(world, 'Beta', '1.00');
    await world.call('orgs.update', { id: beta.id, budget: '2.00' });
    // An org with a budget but no activity is neither low-margin nor near its budget.
    const idle = await createOrg(world, 'Idle', '10.00');
    await world.call('orgs.update', { id: idle.id, budget: '100.00' });
    const a1 = await createAgent(world, 'a1');
    const b1 = await createAgent(world, 'b1');
    await createAgent(world, 'loose');
    await assign(world, a1.id, alpha.id, '2026-03-01T00:00:00Z');
    await assign(world, b1.id, beta.id, '2026-03-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '1.00', '2.00', '2026-01-01');
    const job = await world.importText(
      'march.csv',
      csvOf([
        // 1M × $1 + 1M × $2 = $3.00
        usageRecord('2026-03-05T00:00:00Z', 'a1', 'gpt-test', 1_000_000, 1_000_000),
        // No price: 700 + 300 = 1,000 unpriced tokens, cost nothing
        usageRecord('2026-03-06T00:00:00Z', 'a1', 'mystery-model', 700, 300),
        // 1M × $1 + 0.5M × $2 = $2.00: Beta's whole budget
        usageRecord('2026-03-07T00:00:00Z', 'b1', 'gpt-test', 1_000_000, 500_000),
        // In no org: 1,000 × $1/M = $0.001
        usageRecord('2026-03-08T00:00:00Z', 'loose', 'gpt-test', 1_000, 0),
      ]),
    );
    expect(job).toMatchObject({ status: 'done', imported: 4 });

    const attention = await world.call('home.attention', { month: '2026-03' });
    expect(attention.month).toBe('2026-03');
    expect(attention.clients).toBe(3);
    expect(attention.agents).toBe(2);
    // Revenue 31 + 1 = $32.00; cost 3 + 2 + 0.001 = $5.001
    expect(attention.totals).toMatchObject({ revenue: '32.00', cost: '5.001000' });
    // Beta (1 − 2) / 1 = −100 % before Alpha (31 − 3) / 31 = 0.903225… → 0.9032; Idle has no activity.
    expect(attention.lowest_margin.map((org) => [org.name, org.margin])).toEqual([
      ['Beta', -1],
      ['Alpha', 0.9032],
    ]);
    expect(attention.costliest_agents.map((agent) => [agent.handle, agent.org.name, agent.cost])).toEqual([
      ['a1', 'Alpha', '3.000000'],
      ['b1', 'Beta', '2.000000'],
    ]);
    expect(attention.budgets).toEqual([
      {
        id: beta.id,
        slug: beta.slug,
        name: 'Beta',
        budget: '2.00',
        cost: '2.000000',
        used: 1,
        state: 'exceeded',
      },
    ]);
    expect(attention.unpriced_models).toEqual([{ model: 'mystery-model', tokens: 1000 }]);
    expect(attention.unattributed).toEqual({ cost: '0.001000', tokens: 1000 });
    expect(attention.trend.map((point) => point.month)).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(attention.trend.at(-1)).toMatchObject({ revenue: '32.00', cost: '5.001000' });
    expect(attention.failed_imports).toEqual([]);
    expect(attention.org).toBeNull();

    // Narrowed to Alpha (the switcher's org), every figure is Alpha's alone.
    const alphaOnly = await world.call('home.attention', { month: '2026-03', org: alpha.id });
    expect(alphaOnly.org).toEqual({ id: alpha.id, slug: alpha.slug, name: 'Alpha' });
    // Revenue $31.00, cost $3.00 (a1's); Beta's $2.00 and the loose agent's $0.001 are not in it.
    expect(alphaOnly.totals).toMatchObject({ revenue: '31.00', cost: '3.000000' });
    expect(alphaOnly.lowest_margin.map((org) => org.name)).toEqual(['Alpha']);
    expect(alphaOnly.costliest_agents.map((agent) => agent.handle)).toEqual(['a1']);
    expect(alphaOnly.budgets).toEqual([]);
    expect(alphaOnly.unpriced_models).toEqual([{ model: 'mystery-model', tokens: 1000 }]);
    expect(alphaOnly.unattributed).toBeNull();
    expect(alphaOnly.trend.at(-1)).toMatchObject({ revenue: '31.00', cost: '3.000000' });
    // Beta's only model is priced.
    const betaOnly = await world.call('home.attention', { month: '2026-03', org: beta.id });
    expect(betaOnly.unpriced_models).toEqual([]);
    expect(betaOnly.budgets.map((org) => org.name)).toEqual(['Beta']);
  });

  it('lists an import that brought nothing in until the same file imports rows', async () => {
    await createAgent(world, 'known');
    const nothing = await world.importText(
      'usage.csv',
      csvOf([usageRecord('2026-03-05T00:00:00Z', 'legacy-helpdesk', 'gpt-test', 10, 10)]),
    );
    expect(nothing).toMatchObject({ status: 'done', imported: 0, bad: 1 });
    const before = await world.call('home.attention', { month: '2026-03' });
    expect(before.failed_imports).toEqual([
      expect.objectContaining({ id: nothing.id, fileName: 'usage.csv', status: 'done' }),
    ]);
    expect(before.failed_imports[0]?.problem).toContain('1 row was refused');

    world.clock.set('2026-04-10T01:00:00Z');
    await world.importText(
      'usage.csv',
      csvOf([usageRecord('2026-03-05T00:00:00Z', 'known', 'gpt-test', 10, 10)]),
    );
    expect((await world.call('home.attention', { month: '2026-03' })).failed_imports).toEqual([]);
  });

  it('defaults to the current UTC month and shows a fresh install as empty', async () => {
    const attention = await world.call('home.attention', {});
    expect(attention).toMatchObject({
      month: '2026-04',
      clients: 0,
      agents: 0,
      lowest_margin: [],
      costliest_agents: [],
      budgets: [],
      unpriced_models: [],
      unattributed: null,
      failed_imports: [],
    });
  });
});

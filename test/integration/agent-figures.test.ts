import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentIn,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
} from '../fixtures/billing';

let world: BillingWorld;

beforeEach(() => {
  world = openBillingWorld('2026-04-10T00:00:00Z');
});

afterEach(() => world.cleanup());

/** Three agents whose March costs are $9, $10.50 and $100: as text "10.5" < "100" < "9". */
async function threeAgents() {
  const org = await createOrg(world, 'Alpha', '40.00');
  const costs = { nine: 9_000_000, ten: 10_500_000, hundred: 100_000_000 };
  for (const handle of Object.keys(costs)) {
    const agent = await createAgent(world, handle, handle === 'ten' ? '55.00' : undefined);
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
  }
  await setPrice(world, 'gpt-test', '1.00', '1.00', '2026-01-01');
  await world.importText(
    'march.csv',
    csvOf(
      Object.entries(costs).map(([agent, tokens]) => ({
        timestamp: '2026-03-05T10:00:00Z',
        agent,
        model: 'gpt-test',
        input_tokens: tokens,
        output_tokens: 0,
      })),
    ),
  );
  return org;
}

const list = (input: Record<string, unknown>) => world.call('agents.list', { month: '2026-03', ...input });

describe('agents.list figures', () => {
  it('shows each agent the margins report’s cost and margin for the month, with the rate in effect', async () => {
    const org = await threeAgents();
    const report = orgIn(await margins(world, '2026-03'), org.id);
    const { items } = await list({});
    for (const item of items) {
      const row = agentIn(report, item.handle);
      expect(item.figures).toMatchObject({
        month: '2026-03',
        cost: row.cost,
        margin: row.margin,
        revenue: row.revenue,
      });
    }
    const byHandle = new Map(items.map((item) => [item.handle, item]));
    expect(byHandle.get('nine')?.figures?.tokens).toBe(9_000_000);
    expect(byHandle.get('nine')?.rateInEffect).toEqual({ amount: '40.00', source: 'org' });
    expect(byHandle.get('ten')?.rateInEffect).toEqual({ amount: '55.00', source: 'agent' });
    // Another month has no usage: zero cost, no margin.
    const february = await list({ month: '2026-02' });
    expect(
      february.items.every((item) => item.figures?.cost === '0.000000' && item.figures.tokens === 0),
    ).toBe(true);
  });

  it('sorts by cost, tokens, margin and rate as numbers, across pages', async () => {
    await threeAgents();
    const handles = async (sort: string, direction: 'asc' | 'desc', page = 1, pageSize = 50) =>
      (await list({ sort, direction, page, pageSize })).items.map((item) => item.handle);
    expect(await handles('cost', 'asc')).toEqual(['nine', 'ten', 'hundred']);
    expect(await handles('cost', 'desc')).toEqual(['hundred', 'ten', 'nine']);
    expect(await handles('tokens', 'desc')).toEqual(['hundred', 'ten', 'nine']);
    // Same revenue for nine and hundred ($40 each); ten bills $55: highest margin first.
    expect(await handles('margin', 'desc')).toEqual(['ten', 'nine', 'hundred']);
    expect(await handles('rate', 'desc')).toEqual(['ten', 'hundred', 'nine']);
    expect(await handles('cost', 'desc', 2, 2)).toEqual(['nine']);
  });
});

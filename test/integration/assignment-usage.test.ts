// Usage is placed in an org when it is imported. An agent's move dated before usage already imported
// would move its fees and leave that usage's cost, and its rebilling, with the old org: refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
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
import { ownerSession } from '../fixtures/tenants';

let world: BillingWorld;
let alpha: { id: string };
let beta: { id: string };
let ann: { id: string };

beforeEach(async () => {
  world = openBillingWorld('2026-03-25T12:00:00Z');
  alpha = await createOrg(world, 'Alpha', '10.00');
  beta = await createOrg(world, 'Beta', '10.00');
  ann = await createAgent(world, 'ann');
  await setPrice(world, 'gpt-test', '2.00', '2.00', '2026-01-01');
  await assign(world, ann.id, alpha.id, '2026-03-01T00:00:00Z');
  const job = await world.importText(
    'march.csv',
    csvOf([
      {
        timestamp: '2026-03-20T10:00:00Z',
        agent: 'ann',
        model: 'gpt-test',
        input_tokens: 1_000_000,
        output_tokens: 0,
      },
    ]),
  );
  expect(job.status).toBe('done');
});

afterEach(() => world.cleanup());

const refusalOf = async (name: 'agents.assign' | 'agents.unassign', input: object) => {
  const envelope = await world.backend.router.call(name, { agentIds: [ann.id], ...input }, ownerSession());
  return envelope.ok ? 'accepted' : `${envelope.error.code}: ${envelope.error.message}`;
};

describe('a move dated before usage already imported', () => {
  it('is refused, naming the org that usage is billed to, and changes nothing', async () => {
    const before = await margins(world, '2026-03');
    expect(await refusalOf('agents.assign', { orgId: beta.id, at: '2026-03-15T00:00:00Z', move: true })).toBe(
      'CONFLICT: ann has usage imported after 2026-03-15, billed to Alpha: a change at 2026-03-15T00:00:00.000Z would leave it there. Date the change after that usage, or undo its import first.',
    );
    expect(await refusalOf('agents.unassign', { at: '2026-03-10T00:00:00Z' })).toMatch(
      /^CONFLICT: ann has usage/,
    );
    expect(await margins(world, '2026-03')).toEqual(before);
    expect(orgIn(before, alpha.id).cost).toBe('2.000000');
  });

  it('is taken when dated after that usage: later usage follows the agent', async () => {
    expect(await refusalOf('agents.assign', { orgId: beta.id, at: '2026-03-21T00:00:00Z', move: true })).toBe(
      'accepted',
    );
    await world.importText(
      'later.csv',
      csvOf([
        {
          timestamp: '2026-03-22T10:00:00Z',
          agent: 'ann',
          model: 'gpt-test',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
      ]),
    );
    const march = await margins(world, '2026-03');
    expect(orgIn(march, alpha.id).cost).toBe('2.000000');
    expect(orgIn(march, beta.id).cost).toBe('2.000000');
  });
});

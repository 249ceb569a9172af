import { readFileSync } from 'node:fs';
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

/** A real LiteLLM cost map (USD per token; MIT, its licence beside it). */
const LITELLM = readFileSync(new URL('../fixtures/litellm-model-prices.json', import.meta.url), 'utf8');
/** Models in it with both an input and an output price per token. */
const PRICED = Object.entries(JSON.parse(LITELLM) as Record<string, Record<string, unknown>>).filter(
  ([, spec]) =>
    typeof spec.input_cost_per_token === 'number' && typeof spec.output_cost_per_token === 'number',
).length;

let world: BillingWorld;

beforeEach(() => {
  world = openBillingWorld('2026-04-10T12:00:00Z');
});

afterEach(() => world.cleanup());

describe('prices.set and prices.list', () => {
  it('keeps a history per model and edits the entry of the same day', async () => {
    await expect(setPrice(world, 'gpt-x', '2.5', '10', '2026-01-01')).resolves.toMatchObject({
      model: 'gpt-x',
      from: '2026-01-01',
      input: '2.50',
      output: '10.00',
      source: 'manual',
    });
    await setPrice(world, 'gpt-x', '1.25', '5', '2026-03-01');
    await setPrice(world, 'other', '0.000001', '999999.999999', '2026-02-01');
    // The same model and day again: an edit, not a second entry.
    await setPrice(world, 'gpt-x', '1.2', '4.8', '2026-03-01');
    // Without a day: from today on (the clock's UTC day).
    await world.call('prices.set', { model: 'today', input: '3', output: '4' });

    expect(await world.call('prices.list', {})).toMatchObject([
      { model: 'gpt-x', from: '2026-01-01', input: '2.50', output: '10.00', source: 'manual' },
      { model: 'gpt-x', from: '2026-03-01', input: '1.20', output: '4.80', source: 'manual' },
      { model: 'other', from: '2026-02-01', input: '0.000001', output: '999999.999999', source: 'manual' },
      { model: 'today', from: '2026-04-10', input: '3.00', output: '4.00', source: 'manual' },
    ]);
  });

  it.each([
    { input: '1.0000001', output: '1' },
    { input: '-1', output: '1' },
    { input: '1e-6', output: '1' },
    { input: '1', output: '1,5' },
    { input: '1', output: '1', from: '2026-02-30' },
    { input: '1', output: '1', from: '1 March 2026' },
  ])('refuses %j', async (price) => {
    const answer = await world.backend.router.call(
      'prices.set',
      { model: 'gpt-x', ...price },
      ownerSession(),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('LiteLLM cost maps', () => {
  const preview = (content: string) => world.call('prices.previewLitellm', { content, from: '2026-01-01' });
  function kinds(changes: { kind: string }[]): Record<string, number> {
    const count: Record<string, number> = {};
    for (const { kind } of changes) count[kind] = (count[kind] ?? 0) + 1;
    return count;
  }

  it('previews every model as new at first, then the same after importing', async () => {
    const first = await preview(LITELLM);
    expect(first.from).toBe('2026-01-01');
    expect(kinds(first.changes)).toEqual({ new: PRICED });
    expect(first.skipped.map((entry) => entry.model).sort()).toEqual([
      'gpt-image-1',
      'gpt-image-1-mini',
      'gpt-realtime-whisper',
    ]);
    expect(first.changes.some((change) => change.rounded)).toBe(false);

    expect(await world.call('prices.importLitellm', { content: LITELLM, from: '2026-01-01' })).toEqual({
      applied: PRICED,
      from: '2026-01-01',
      // No usage imported yet: no month to price.
      months_priced: 0,
    });
    expect(kinds((await preview(LITELLM)).changes)).toEqual({ same: PRICED });
    // Importing it again changes nothing.
    expect(await world.call('prices.importLitellm', { content: LITELLM, from: '2026-01-01' })).toMatchObject({
      applied: 0,
    });
  });

  it('starts at the first day of the usage imported when no day is named, and counts the months it prices', async () => {
    const org = await createOrg(world, 'Alpha', '10.00');
    const agent = await createAgent(world, 'a1');
    await assign(world, agent.id, org.id, '2026-01-01T00:00:00Z');
    // Usage on 14 February and in March, none before: two months, from the 14th.
    await world.importText(
      'usage.csv',
      csvOf([
        {
          timestamp: '2026-02-14T09:00:00Z',
          agent: 'a1',
          model: 'gpt-4o',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
        {
          timestamp: '2026-03-02T09:00:00Z',
          agent: 'a1',
          model: 'gpt-4o',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
      ]),
    );
    const previewed = await world.call('prices.previewLitellm', { content: LITELLM });
    expect(previewed).toMatchObject({ from: '2026-02-14', months_priced: 2 });
    expect(await world.call('prices.importLitellm', { content: LITELLM })).toMatchObject({
      from: '2026-02-14',
      months_priced: 2,
    });
    // gpt-4o at $2.50 per million input: February's usage is costed, not left unpriced.
    expect(orgIn(await margins(world, '2026-02'), org.id)).toMatchObject({
      cost: '2.500000',
      unpriced_tokens: 0,
    });
    // A day named is kept; only March lies from it on.
    expect(await world.call('prices.previewLitellm', { content: LITELLM, from: '2026-03-01' })).toMatchObject(
      {
        from: '2026-03-01',
        months_priced: 1,
      },
    );
  });

  it('previews a price changed on either side as changed, and a new model as new', async () => {
    await world.call('prices.importLitellm', { content: LITELLM, from: '2026-01-01' });
    // A manual price for gpt-4o since February.
    await setPrice(world, 'gpt-4o', '2.00', '8.00', '2026-02-01');
    const map = JSON.parse(LITELLM) as Record<string, Record<string, unknown>>;
    map['gpt-4o-mini'] = { ...map['gpt-4o-mini'], output_cost_per_token: 7e-7 };
    map['brand-new'] = { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 };
    const changes = (
      await world.call('prices.previewLitellm', { content: JSON.stringify(map), from: '2026-03-01' })
    ).changes;

    expect(kinds(changes)).toEqual({ same: PRICED - 2, changed: 2, new: 1 });
    expect(changes.find((change) => change.model === 'gpt-4o')).toMatchObject({
      model: 'gpt-4o',
      kind: 'changed',
      before: { input: '2.00', output: '8.00' },
      after: { input: '2.50', output: '10.00' },
      rounded: false,
    });
    expect(changes.find((change) => change.model === 'gpt-4o-mini')).toMatchObject({
      kind: 'changed',
      before: { input: '0.15', output: '0.60' },
      after: { input: '0.15', output: '0.70' },
    });
    expect(changes.find((change) => change.model === 'brand-new')).toMatchObject({
      kind: 'new',
      before: null,
      after: { input: '1.00', output: '2.00' },
    });
  });

  it('converts USD per token to USD per million exactly', async () => {
    await world.call('prices.importLitellm', { content: LITELLM, from: '2026-01-01' });
    const prices = new Map((await world.call('prices.list', {})).map((price) => [price.model, price]));
    // 2.5e-06 and 1e-05 $/token × 1,000,000
    expect(prices.get('gpt-4o')).toMatchObject({
      model: 'gpt-4o',
      from: '2026-01-01',
      input: '2.50',
      output: '10.00',
      source: 'litellm',
    });
    // 1.5e-07 and 6e-07 $/token: 0.15 and 0.60 (a float would say 0.15000000000000002)
    expect(prices.get('gpt-4o-mini')).toMatchObject({ input: '0.15', output: '0.60' });
    // 9.54e-07 and 3.961e-06 $/token
    expect(prices.get('kimi-k2.6')).toMatchObject({ input: '0.954', output: '3.961' });
    // 0.00015 and 0.0006 $/token
    expect(prices.get('o1-pro')).toMatchObject({ input: '150.00', output: '600.00' });

    // And it prices usage exactly: 1,000,000 × 2.5e-06 + 333,333 × 1e-05 = 2.5 + 3.33333
    const org = await createOrg(world, 'Litco', '10.00');
    const agent = await createAgent(world, 'lit');
    await assign(world, agent.id, org.id, '2026-02-01T00:00:00Z');
    await world.importText(
      'lit.csv',
      csvOf([
        {
          timestamp: '2026-03-03T00:00:00Z',
          agent: 'lit',
          model: 'gpt-4o',
          input_tokens: 1_000_000,
          output_tokens: 333_333,
        },
        // 7 × 1.5e-07 = 0.00000105 → 0.000001 alone, but summed exactly with the rest first
        {
          timestamp: '2026-03-03T00:00:00Z',
          agent: 'lit',
          model: 'gpt-4o-mini',
          input_tokens: 7,
          output_tokens: 0,
        },
      ]),
    );
    // 2.5 + 3.33333 + 0.00000105 = 5.83333105 → 5.833331
    expect(orgIn(await margins(world, '2026-03'), org.id).cost).toBe('5.833331');
  });

  it('says when a price is finer than a millionth of a dollar per million tokens', async () => {
    const content = JSON.stringify({
      tiny: { input_cost_per_token: 1.5e-13, output_cost_per_token: 2.5e-12 },
    });
    expect((await preview(content)).changes).toMatchObject([
      // 1.5e-13 $/token = 0.00000015 $/M → 0; 2.5e-12 $/token = 0.0000025 $/M → 0.000003 (half up)
      {
        model: 'tiny',
        kind: 'new',
        before: null,
        after: { input: '0.00', output: '0.000003' },
        rounded: true,
      },
    ]);
  });

  it('leaves out, saying why, a model dearer than a price can be, as prices.set refuses it', async () => {
    const content = JSON.stringify({
      sane: { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5 },
      // $1 a token: $1,000,000 per million, past 999,999.999999.
      absurd: { input_cost_per_token: 1, output_cost_per_token: 1e-5 },
      absurdCache: {
        input_cost_per_token: 1e-6,
        output_cost_per_token: 1e-6,
        cache_read_input_token_cost: 5,
      },
    });
    const seen = await preview(content);
    expect(seen.changes.map((change) => change.model)).toEqual(['sane']);
    expect(seen.skipped).toEqual([
      { model: 'absurd', reason: 'a price above 999,999.999999 USD per million tokens' },
      { model: 'absurdCache', reason: 'a price above 999,999.999999 USD per million tokens' },
    ]);
  });

  it('refuses what is not a cost map', async () => {
    for (const content of ['not json', '[1, 2]', '"text"']) {
      const answer = await world.backend.router.call('prices.previewLitellm', { content }, ownerSession());
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});

describe('prices set after usage was imported', () => {
  let orgId: string;

  beforeEach(async () => {
    orgId = (await createOrg(world, 'Repriceco', '100.00')).id;
    const agent = await createAgent(world, 'rep');
    await assign(world, agent.id, orgId, '2026-01-15T00:00:00Z');
    await setPrice(world, 'gpt-x', '2.00', '2.00', '2026-01-01');
    const at = (timestamp: string) => ({
      timestamp,
      agent: 'rep',
      model: 'gpt-x',
      input_tokens: 1_000_000,
      output_tokens: 0,
    });
    await world.importText(
      'usage.csv',
      csvOf([
        at('2026-02-20T00:00:00Z'),
        at('2026-03-01T00:00:00Z'),
        at('2026-03-14T23:59:59.999Z'),
        at('2026-03-15T00:00:00Z'),
        at('2026-03-31T23:59:59Z'),
      ]),
    );
  });

  const cost = async (month: string) => orgIn(await margins(world, month), orgId).cost;

  it('re-prices the usage from the price’s day on, and only that', async () => {
    // 4 records of 1,000,000 input tokens at $2/M
    expect(await cost('2026-03')).toBe('8.000000');
    await setPrice(world, 'gpt-x', '1.00', '1.00', '2026-03-15');
    // 2 before the 15th at $2, 2 from it on at $1
    expect(await cost('2026-03')).toBe('6.000000');
    expect(await cost('2026-02')).toBe('2.000000');

    // Editing that day's price again re-prices again: 2 × 2 + 2 × 0.5
    await setPrice(world, 'gpt-x', '0.50', '1.00', '2026-03-15');
    expect(await cost('2026-03')).toBe('5.000000');
    // A price from a later month leaves March alone.
    await setPrice(world, 'gpt-x', '9.00', '9.00', '2026-04-01');
    expect(await cost('2026-03')).toBe('5.000000');
    // An earlier one in February re-prices only from its day: the 20th at $3, March unchanged.
    await setPrice(world, 'gpt-x', '3.00', '3.00', '2026-02-10');
    expect(await cost('2026-02')).toBe('3.000000');
    expect(await cost('2026-03')).toBe('7.000000');
  });

  it('prices usage that had no price once a LiteLLM map gives it one, from its day on', async () => {
    await world.importText(
      'more.csv',
      csvOf([
        {
          timestamp: '2026-03-05T00:00:00Z',
          agent: 'rep',
          model: 'gpt-4o',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
        {
          timestamp: '2026-03-20T00:00:00Z',
          agent: 'rep',
          model: 'gpt-4o',
          input_tokens: 2_000_000,
          output_tokens: 0,
        },
      ]),
    );
    expect(orgIn(await margins(world, '2026-03'), orgId)).toMatchObject({
      cost: '8.000000',
      unpriced_tokens: 3_000_000,
    });
    await world.call('prices.importLitellm', { content: LITELLM, from: '2026-03-10' });
    // The 20th: 2,000,000 × $2.50/M = $5; the 5th stays unpriced.
    expect(orgIn(await margins(world, '2026-03'), orgId)).toMatchObject({
      cost: '13.000000',
      unpriced_tokens: 1_000_000,
    });
  });
});

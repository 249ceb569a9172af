// The "independent check": a random MSP (orgs, agents, moves, unassignments, inactive
// stretches, price changes with random category, tier and long-context rates, an unpriced model,
// usage with cache, reasoning, tier, request-count and long-context columns, duplicate and bad usage
// rows, an undone import) is built through the
// router; billing.margins must then match, field by field, a reference computed straight from the
// raw rows and the history the test generated (test/fixtures/billing-reference.ts).
import { describe, expect, it } from 'vitest';
import type { ChannelOutput } from '../../shared/contract';
import type { MarginsReport } from '../../shared/contract/billing';
import { type BillingWorld, csvOf, jsonlOf, openBillingWorld, type UsageRecord } from '../fixtures/billing';
import {
  type ExpectedReport,
  expectedReport,
  type RefAgent,
  type RefCategory,
  type RefOrg,
  type RefPrice,
  type RefRate,
  type RefRecord,
  type RefStretch,
  type RefTier,
} from '../fixtures/billing-reference';

const START = Date.parse('2025-12-20T00:00:00Z');
const FIRST = Date.parse('2026-01-01T00:00:00Z');
/** The clock at the end: March is the current month, so open stays and stretches count to its end. */
const END = Date.parse('2026-03-20T00:00:00Z');
const MONTHS = ['2026-01', '2026-02', '2026-03'];
const DAY = 86_400_000;
const MODELS = ['m-alpha', 'm-beta', 'm-gamma'];
const UNPRICED = 'm-none';
const CATEGORIES: RefCategory[] = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'reasoning',
];
const TIERS: RefTier[] = ['standard', 'batch', 'flex', 'priority'];
const BANDS = [128_000, 200_000, 272_000];

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
function prng(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo));
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length)] as T,
  };
}
type Prng = ReturnType<typeof prng>;

const inside = (stretches: RefStretch[], at: number) => stretches.some((s) => s.from <= at && at < s.to);
const money = (cents: bigint) => `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
const perMillion = (micros: bigint) =>
  `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The same instant written at a UTC offset of `minutes`. */
function withOffset(ms: number, minutes: number): string {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

type Event =
  | { at: number; kind: 'deactivate'; org: RefOrg }
  | { at: number; kind: 'activate'; org: RefOrg }
  | { at: number; kind: 'move'; agent: RefAgent; orgId: string | null };

interface Plan {
  orgs: RefOrg[];
  agents: RefAgent[];
  events: Event[];
  prices: RefPrice[];
}

function plan(rng: Prng, orgIds: string[], agentIds: string[]): Plan {
  const orgs: RefOrg[] = orgIds.map((id) => {
    const inactive: RefStretch[] = [];
    for (let n = rng.int(0, 3), from = FIRST; n > 0; n--) {
      const start = rng.int(from, END - DAY);
      const open = n === 1 && rng.chance(0.3);
      const to = open ? Number.POSITIVE_INFINITY : rng.int(start + 60_000, Math.min(END, start + 20 * DAY));
      inactive.push({ from: start, to });
      if (open || to >= END - 2 * DAY) break;
      from = to + 1;
    }
    return {
      id,
      rateCents: BigInt(rng.int(500, 15_000)),
      mode: rng.chance(0.3) ? 'full_month' : 'prorated',
      inactive,
    };
  });
  const events: Event[] = orgs.flatMap((org) =>
    org.inactive.flatMap((s): Event[] => [
      { at: s.from, kind: 'deactivate', org },
      ...(Number.isFinite(s.to) ? [{ at: s.to, kind: 'activate' as const, org }] : []),
    ]),
  );
  const agents: RefAgent[] = agentIds.map((id, i) => {
    const agent: RefAgent = {
      id,
      handle: `agent-${i}`,
      overrideCents: rng.chance(0.35) ? BigInt(rng.int(100, 20_000)) : null,
      stays: [],
    };
    // The last agent is never assigned: all its usage is unattributed.
    if (i === agentIds.length - 1) return agent;
    let current: string | null = rng.chance(0.75) ? rng.pick(orgs).id : null;
    if (current) agent.stays.push({ orgId: current, from: START, to: Number.POSITIVE_INFINITY });
    const times = [...new Set(Array.from({ length: rng.int(0, 5) }, () => rng.int(FIRST, END)))].sort(
      (a, b) => a - b,
    );
    for (const at of times) {
      const targets = orgs.filter((org) => org.id !== current && !inside(org.inactive, at));
      const next =
        current !== null && (rng.chance(0.3) || targets.length === 0) ? null : rng.pick(targets)?.id;
      if (next === undefined) continue;
      const open = agent.stays.at(-1);
      if (current !== null && open) open.to = at;
      if (next !== null) agent.stays.push({ orgId: next, from: at, to: Number.POSITIVE_INFINITY });
      current = next;
      events.push({ at, kind: 'move', agent, orgId: next });
    }
    return agent;
  });
  const prices: RefPrice[] = [];
  for (const model of MODELS) {
    const froms = [...new Set([day(rng.int(START - 30 * DAY, END)), day(rng.int(START - 30 * DAY, END))])];
    for (const from of froms.slice(0, rng.int(1, 3))) {
      prices.push({
        model,
        from,
        inputPico: BigInt(rng.int(0, 20_000_000)),
        outputPico: BigInt(rng.int(1, 80_000_000)),
        rates: randomRates(rng),
      });
    }
  }
  return { orgs, agents, events: events.sort((a, b) => a.at - b.at), prices };
}

/** Some categories, tiers and bands priced, most not: every fallback gets used. */
function randomRates(rng: Prng): RefRate[] {
  const rates: RefRate[] = [];
  const bands = rng.chance(0.5) ? [rng.pick(BANDS)] : rng.chance(0.3) ? [128_000, 272_000] : [];
  for (let n = rng.int(0, 9); n > 0; n--) {
    const rate: RefRate = {
      category: rng.pick(CATEGORIES),
      tier: rng.chance(0.5) ? 'standard' : rng.pick(TIERS),
      above: rng.chance(0.4) && bands.length > 0 ? rng.pick(bands) : 0,
      pico: BigInt(rng.int(0, 40_000_000)),
    };
    const plain = rate.tier === 'standard' && rate.above === 0;
    if (plain && (rate.category === 'input' || rate.category === 'output')) continue;
    if (rates.some((r) => r.category === rate.category && r.tier === rate.tier && r.above === rate.above))
      continue;
    rates.push(rate);
  }
  return rates;
}

interface Row {
  record: UsageRecord;
  /** What the reference counts; null for a row the import must report as bad. */
  ref: RefRecord | null;
}

/** ~2000 rows, with exact and id duplicates, rows at boundaries, other time zones and a few bad rows. */
function usageRows(rng: Prng, p: Plan): Row[] {
  const boundaries = [
    ...p.agents.flatMap((agent) => agent.stays.flatMap((s) => [s.from, s.to])),
    ...p.prices.map((price) => Date.parse(`${price.from}T00:00:00Z`)),
  ].filter((at) => at >= FIRST && at < END);
  const rows: Row[] = [];
  for (let i = 0; i < 2000; i++) {
    const agent = rng.pick(p.agents);
    const model = rng.chance(0.1) ? UNPRICED : rng.pick(MODELS);
    let ms = rng.int(FIRST, END);
    if (rng.chance(0.06) && boundaries.length > 0) ms = rng.pick(boundaries) - (rng.chance(0.5) ? 1 : 0);
    // Mostly small, sometimes huge: sums pass 2^53 pico-USD either way.
    const big = rng.chance(0.01);
    const input = rng.chance(0.05) ? 0 : rng.int(1, big ? 20_000_000 : 300_000);
    const output = rng.int(0, big ? 4_000_000 : 60_000);
    const offset = rng.chance(0.2) ? rng.pick([-300, 60, 330, 840]) : 0;
    // Half the rows use the newer columns, each at random; long prompts cross the bands.
    const rich = rng.chance(0.5);
    const cacheRead = rich && rng.chance(0.6) ? rng.int(0, rng.chance(0.2) ? 900_000 : 150_000) : undefined;
    const cacheWrite = rich && rng.chance(0.3) ? rng.int(0, 100_000) : undefined;
    const cacheWrite1h = rich && rng.chance(0.2) ? rng.int(0, 100_000) : undefined;
    const reasoning = rich && rng.chance(0.3) ? rng.int(0, output + 1) : undefined;
    const tier = rich && rng.chance(0.4) ? rng.pick(TIERS) : undefined;
    const requests = rich && rng.chance(0.4) ? rng.int(1, 5) : undefined;
    const longContext = rich && rng.chance(0.15) ? rng.chance(0.5) : undefined;
    const record: UsageRecord = {
      timestamp: offset === 0 ? new Date(ms).toISOString() : withOffset(ms, offset),
      agent: agent.handle,
      model,
      input_tokens: input,
      output_tokens: output,
      ...(cacheRead !== undefined ? { cache_read_tokens: cacheRead } : {}),
      ...(cacheWrite !== undefined ? { cache_write_tokens: cacheWrite } : {}),
      ...(cacheWrite1h !== undefined ? { cache_write_1h_tokens: cacheWrite1h } : {}),
      ...(reasoning !== undefined ? { reasoning_tokens: reasoning } : {}),
      ...(tier !== undefined ? { service_tier: tier } : {}),
      ...(requests !== undefined ? { requests } : {}),
      ...(longContext !== undefined ? { long_context: longContext } : {}),
      ...(rng.chance(0.25) ? { id: `u-${i}` } : {}),
    };
    rows.push({
      record,
      ref: {
        ms,
        handle: agent.handle,
        model,
        input: BigInt(input),
        output: BigInt(output),
        cacheRead: BigInt(cacheRead ?? 0),
        cacheWrite: BigInt(cacheWrite ?? 0),
        cacheWrite1h: BigInt(cacheWrite1h ?? 0),
        reasoning: BigInt(reasoning ?? 0),
        tier: tier ?? 'standard',
        requests: BigInt(requests ?? 1),
        longContext: longContext ?? null,
      },
    });
  }
  const extra: Row[] = [];
  for (let n = 0; n < 40; n++) {
    const original = rng.pick(rows);
    const { ref } = original;
    if (!ref) continue;
    if (original.record.id === undefined) {
      // The same record again, without an id: de-duplicated by content.
      extra.push({ record: { ...original.record }, ref });
    } else {
      // The same id with other content: de-duplicated by the id (whichever comes first is kept).
      const handle = rng.pick(p.agents).handle;
      const input = original.record.input_tokens + 7;
      extra.push({
        record: { ...original.record, input_tokens: input, agent: handle },
        ref: { ...ref, handle, input: BigInt(input) },
      });
    }
  }
  for (const bad of [
    {
      timestamp: '2026-02-01T00:00:00Z',
      agent: 'ghost',
      model: 'm-alpha',
      input_tokens: 5,
      output_tokens: 5,
    },
    {
      timestamp: '2026-02-30T00:00:00Z',
      agent: 'agent-0',
      model: 'm-alpha',
      input_tokens: 5,
      output_tokens: 5,
    },
    { timestamp: 'last tuesday', agent: 'agent-0', model: 'm-alpha', input_tokens: 5, output_tokens: 5 },
    {
      timestamp: '2026-02-01T00:00:00Z',
      agent: 'agent-0',
      model: 'm-alpha',
      input_tokens: 5,
      output_tokens: 5,
      reasoning_tokens: 6,
    },
    {
      timestamp: '2026-02-01T00:00:00Z',
      agent: 'agent-0',
      model: 'm-alpha',
      input_tokens: 5,
      output_tokens: 5,
      service_tier: 'economy',
    },
    {
      timestamp: '2026-02-01T00:00:00Z',
      agent: 'agent-0',
      model: 'm-alpha',
      input_tokens: 5,
      output_tokens: 5,
      requests: 0,
    },
    {
      timestamp: '2026-02-01T00:00:00Z',
      agent: 'agent-0',
      model: 'm-alpha',
      input_tokens: -5,
      output_tokens: 5,
    },
    {
      timestamp: '2026-02-01T00:00:00Z',
      agent: 'agent-0',
      model: 'm-alpha',
      input_tokens: 1.5,
      output_tokens: 5,
    },
  ]) {
    extra.push({ record: bad, ref: null });
  }
  for (const row of extra) rows.splice(rng.int(Math.floor(rows.length / 3), rows.length + 1), 0, row);
  return rows;
}

/** The rows the import keeps, in file order: the first of each id, the first of each content. */
function accepted(rows: Row[]): RefRecord[] {
  const seen = new Set<string>();
  const kept: RefRecord[] = [];
  for (const { record, ref } of rows) {
    if (!ref) continue;
    const key =
      record.id !== undefined
        ? `id:${record.id}`
        : `row:${ref.ms}|${ref.handle}|${ref.model}|${ref.input}|${ref.output}|${ref.cacheRead}|${ref.cacheWrite}|${ref.cacheWrite1h}|${ref.reasoning}|${ref.tier}|${ref.requests}|${ref.longContext}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(ref);
  }
  return kept;
}

type Report = ChannelOutput<'billing.margins'>;

/** The report cut to what the reference computes, in the reference's order. */
function comparable(report: Report): ExpectedReport {
  const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  const figures = (row: Report['orgs'][number] | Report['orgs'][number]['agents'][number]) => ({
    revenue: row.revenue,
    cost: row.cost,
    margin: row.margin,
    unpriced_tokens: row.unpriced_tokens,
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cache_read_tokens: row.cache_read_tokens,
    cache_write_tokens: row.cache_write_tokens,
    reasoning_tokens: row.reasoning_tokens,
    cost_by_category: row.cost_by_category,
    cache_savings: row.cache_savings,
  });
  return {
    orgs: byId(report.orgs).map((org) => ({
      id: org.id,
      ...figures(org),
      agents: byId(org.agents).map((agent) => ({ id: agent.id, ...figures(agent) })),
    })),
    unattributed: unattributedOf(
      report.unattributed ?? expect.fail('no unattributed usage in an owner’s report'),
    ),
    totals: report.totals,
    cost_by_model: [...report.cost_by_model].sort((a, b) => (a.model < b.model ? -1 : 1)),
    cost_by_category: report.cost_by_category,
    cache_savings: report.cache_savings,
    fallbacks: report.fallbacks,
  };
}

/** The report's unattributed usage as the reference gives it: agents by id, without names. */
function unattributedOf(unattributed: NonNullable<MarginsReport['unattributed']>) {
  return {
    ...unattributed,
    by_agent: [...unattributed.by_agent]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(({ handle: _handle, name: _name, ...agent }) => agent),
  };
}

async function buildWorld(world: BillingWorld, rng: Prng): Promise<{ plan: Plan; rows: Row[] }> {
  world.clock.set(START);
  const orgIds: string[] = [];
  for (let i = 0; i < 4; i++) orgIds.push((await world.call('orgs.create', { name: `Client ${i}` })).id);
  const agentIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    agentIds.push((await world.call('agents.create', { name: `Agent ${i}`, handle: `agent-${i}` })).id);
  }
  const p = plan(rng, orgIds, agentIds);
  for (const org of p.orgs) {
    await world.call('orgs.update', { id: org.id, rate: money(org.rateCents), billingMode: org.mode });
  }
  for (const agent of p.agents) {
    if (agent.overrideCents !== null) {
      await world.call('agents.update', { id: agent.id, rate: money(agent.overrideCents) });
    }
    const first = agent.stays[0];
    if (first && first.from === START) {
      await world.call('agents.assign', {
        agentIds: [agent.id],
        orgId: first.orgId,
        at: new Date(START).toISOString(),
      });
    }
  }
  for (const event of p.events) {
    world.clock.set(event.at);
    if (event.kind === 'deactivate') await world.call('orgs.deactivate', { id: event.org.id });
    else if (event.kind === 'activate') await world.call('orgs.activate', { id: event.org.id });
    else if (event.orgId === null) {
      await world.call('agents.unassign', {
        agentIds: [event.agent.id],
        at: new Date(event.at).toISOString(),
      });
    } else {
      await world.call('agents.assign', {
        agentIds: [event.agent.id],
        orgId: event.orgId,
        at: new Date(event.at).toISOString(),
        move: true,
      });
    }
  }
  world.clock.set(END);
  return { plan: p, rows: usageRows(rng, p) };
}

const setPrice = (world: BillingWorld, price: RefPrice) =>
  world.call('prices.set', {
    model: price.model,
    input: perMillion(price.inputPico),
    output: perMillion(price.outputPico),
    rates: (price.rates ?? []).map((rate) => ({
      category: rate.category,
      tier: rate.tier,
      above: rate.above,
      price: perMillion(rate.pico),
    })),
    from: price.from,
  });

/** What the seeds exercised between them, checked after the last one. */
const exercised = { bandRows: 0, rules: new Set<string>() };

describe('billing.margins against an independent reference', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'matches for a random world (seed %i)',
    async (seed) => {
      const rng = prng(seed);
      const world = openBillingWorld(new Date(START).toISOString());
      try {
        const { plan: p, rows } = await buildWorld(world, rng);
        // Some prices before the import, the rest after it: usage already imported is re-priced.
        const later = p.prices.filter(() => rng.chance(0.4));
        for (const price of p.prices) if (!later.includes(price)) await setPrice(world, price);
        // A row's band is decided at import, against the prices known then.
        const atImport = p.prices.filter((price) => !later.includes(price));
        for (const row of rows) if (row.ref) row.ref.pricesAtImport = atImport;

        const split = Math.floor(rows.length * 0.6);
        const first = await world.importText(
          'usage-1.csv',
          csvOf(rows.slice(0, split).map((row) => row.record)),
        );
        const second = await world.importText(
          'usage-2.jsonl',
          jsonlOf(rows.slice(split).map((row) => row.record)),
        );
        const kept = accepted(rows);
        const bad = rows.filter((row) => row.ref === null).length;
        expect([first.status, second.status]).toEqual(['done', 'done']);
        expect(first.imported + second.imported).toBe(kept.length);
        expect(first.bad + second.bad).toBe(bad);
        expect(first.rowsRead + second.rowsRead).toBe(rows.length);

        const rules = new Set<string>();
        const agrees = async (records: RefRecord[], when: string, prices = p.prices) => {
          for (const month of MONTHS) {
            const expected = expectedReport(month, p.orgs, p.agents, prices, records);
            const report = await world.call('billing.margins', { month });
            expect(comparable(report), `seed ${seed}, ${month}, ${when}`).toEqual(expected);
            for (const { rules: used } of report.fallbacks) for (const rule of used) rules.add(rule);
          }
          const trend = await world.call('billing.trend', { month: '2026-03', months: 3 });
          expect(trend, `seed ${seed}, ${when}`).toEqual(
            MONTHS.map((month) => {
              const expected = expectedReport(month, p.orgs, p.agents, prices, records);
              const { revenue, cost, margin } = expected.totals;
              return { month, revenue, cost, margin, cache_savings: expected.cache_savings };
            }),
          );
        };
        // Undoing the second import leaves what the first kept; the reference ignores the undone
        // job's rows. Importing the file again brings them back, as the seen-row keys went too.
        // Done before the later prices, so the rows' bands are decided against the same prices.
        await world.call('usage.undo', { jobId: second.id });
        await agrees(accepted(rows.slice(0, split)), 'second import undone', atImport);
        const redone = await world.importText(
          'usage-2.jsonl',
          jsonlOf(rows.slice(split).map((row) => row.record)),
        );
        expect(redone.imported).toBe(second.imported);
        await agrees(kept, 'second import undone and imported again', atImport);

        for (const price of later) await setPrice(world, price);
        // A rate changed after the import applies to every month.
        const changed = rng.pick(p.agents);
        changed.overrideCents = BigInt(rng.int(100, 20_000));
        await world.call('agents.update', { id: changed.id, rate: money(changed.overrideCents) });

        await agrees(kept, 'later prices and a rate change');
        // The world exercises the rules: category and tier fallbacks, and long-context bands.
        const bands = world.backend.store.db
          .prepare('SELECT count(*) FROM usage_days WHERE band > 0')
          .pluck()
          .get() as number;
        exercised.bandRows += bands;
        for (const rule of rules) exercised.rules.add(rule.replace(/\d+/g, 'N'));

        // Importing everything again changes nothing.
        const before = await world.call('billing.margins', { month: '2026-02' });
        const again = await world.importText('all.jsonl', jsonlOf(rows.map((row) => row.record)));
        expect(again).toMatchObject({ imported: 0, skipped: rows.length - bad, bad });
        expect(await world.call('billing.margins', { month: '2026-02' })).toEqual(before);
      } finally {
        world.cleanup();
      }
    },
  );

  it('exercised every kind of rule across the seeds', () => {
    expect(exercised.bandRows).toBeGreaterThan(0);
    for (const rule of [
      'cache_read at the input price',
      'cache_write_Nh at the cache_write price',
      'reasoning at the output price',
      'input in the batch tier at the standard price',
      'input above N prompt tokens at the price without a band',
    ])
      expect(exercised.rules).toContain(rule);
  });
});

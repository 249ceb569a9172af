// The "independent check": a random MSP (orgs, agents, moves, unassignments, inactive
// stretches, price changes with random category, tier and long-context rates, an unpriced model,
// usage with cache, reasoning, tier, request-count and long-context columns, duplicate and bad usage
// rows, an undone import, and billing terms with history: dated org and agent rate changes, billing
// mode changes, usage markups with per-model overrides, included usage and minimums) is built through the
// router; billing.margins must then match, field by field, a reference computed straight from the
// raw rows and the history the test generated (test/fixtures/billing-reference.ts).
import { describe, expect, it } from 'vitest';
import { asEveryOrg } from '../fixtures/backend';
import {
  type BillingWorld,
  comparable,
  csvOf,
  jsonlOf,
  openBillingWorld,
  type UsageRecord,
} from '../fixtures/billing';
import {
  expectedAdjustment,
  expectedCharges,
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
import { importArchive } from '../fixtures/org-archives';

const START = Date.parse('2025-12-20T00:00:00Z');
const FIRST = Date.parse('2026-01-01T00:00:00Z');
/** The clock at the end: March is the current month, so open stays and stretches count to its end. */
const END = Date.parse('2026-03-20T00:00:00Z');
/** When the reports are asked for: March to date runs to 13:37, its seconds dropped. */
const NOW = END + (13 * 60 + 37) * 60_000 + 42_500;
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
  for (const org of orgs) datedTerms(rng, org);
  for (const agent of agents) {
    for (let n = rng.int(0, 3); n > 0; n--) {
      const from = day(rng.int(FIRST, END));
      agent.rateChanges = [
        ...(agent.rateChanges ?? []).filter((change) => change.from !== from),
        { from, value: rng.chance(0.3) ? null : BigInt(rng.int(100, 20_000)) },
      ];
    }
  }
  return { orgs, agents, events: events.sort((a, b) => a.at - b.at), prices };
}

/** Random dated changes of a term, at most one a day (the same day again replaces it). */
function changes<T>(rng: Prng, count: number, value: () => T, from = () => day(rng.int(FIRST, END))) {
  const byDay = new Map<string, T>();
  for (let n = count; n > 0; n--) byDay.set(from(), value());
  return [...byDay].map(([day, v]) => ({ from: day, value: v }));
}

/** Rate and mode history, usage markups (some per model), allowances and minimums: most orgs some. */
function datedTerms(rng: Prng, org: RefOrg): void {
  // Month starts are where monthly terms are read: changes land on them as often as mid-month.
  const someDay = () =>
    rng.chance(0.4) ? rng.pick(['2026-01-01', '2026-02-01', '2026-03-01']) : day(rng.int(FIRST, END));
  org.rateChanges = changes(rng, rng.int(0, 3), () => BigInt(rng.int(500, 15_000)), someDay);
  org.modeChanges = changes(
    rng,
    rng.chance(0.3) ? 1 : 0,
    () => (rng.chance(0.5) ? 'full_month' : 'prorated'),
    someDay,
  );
  if (rng.chance(0.7)) {
    org.markupChanges = changes(
      rng,
      rng.int(1, 3),
      () => (rng.chance(0.15) ? null : BigInt(rng.int(0, 10_000))),
      someDay,
    );
    org.includedCents = changes(
      rng,
      rng.int(0, 2),
      () => BigInt(rng.pick([0, rng.int(1, 300_000)])),
      someDay,
    );
  }
  if (rng.chance(0.5))
    org.modelMarkups = MODELS.filter(() => rng.chance(0.4)).map((model) => ({
      model,
      changes: changes(
        rng,
        rng.int(1, 3),
        () => (rng.chance(0.2) ? null : BigInt(rng.int(0, 20_000))),
        someDay,
      ),
    }));
  if (rng.chance(0.4))
    org.minimumCents = changes(rng, rng.int(1, 3), () => BigInt(rng.int(0, 800_000)), someDay);
}

const pct = (bp: bigint | null) =>
  bp === null ? null : `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}`;

/** The plan's dated terms, sent the way the console and CLI do: orgs.update / agents.update / orgs.setModelMarkup with a from day. */
async function sendDatedTerms(world: BillingWorld, p: Plan): Promise<void> {
  for (const org of p.orgs) {
    for (const { from, value } of org.rateChanges ?? [])
      await world.call('orgs.update', { id: org.id, rate: money(value), from });
    for (const { from, value } of org.modeChanges ?? [])
      await world.call('orgs.update', { id: org.id, billingMode: value, from });
    for (const { from, value } of org.markupChanges ?? [])
      await world.call('orgs.update', { id: org.id, usageMarkup: pct(value), from });
    for (const { from, value } of org.includedCents ?? [])
      await world.call('orgs.update', { id: org.id, includedUsage: money(value), from });
    for (const { from, value } of org.minimumCents ?? [])
      await world.call('orgs.update', { id: org.id, minimum: money(value), from });
    for (const { model, changes: list } of org.modelMarkups ?? [])
      for (const { from, value } of list)
        await world.call('orgs.setModelMarkup', { id: org.id, model, pct: pct(value), from });
  }
  for (const agent of p.agents)
    for (const { from, value } of agent.rateChanges ?? [])
      await world.call('agents.update', { id: agent.id, rate: value === null ? null : money(value), from });
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

/** The report cut to what the reference computes, in the reference's order. */
/** Amounts ("1.50", "-0.25") summed, as the reference writes cents. */
function sumCents(amounts: string[]): string {
  const total = amounts.reduce((sum, amount) => sum + BigInt(amount.replace('.', '')), 0n);
  const magnitude = total < 0n ? -total : total;
  return `${total < 0n ? '-' : ''}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}

/** Which kinds of statement line the seeds issued. */
function noteLines(statement: { lines: { kind: string; amount: string; description: string }[] }): void {
  for (const line of statement.lines) {
    if (line.kind !== 'usage' || line.amount !== '0.00') exercised.statementLines.add(line.kind);
    if (line.kind === 'agent_fee' && /\d–\d/.test(line.description))
      exercised.statementLines.add('rate change');
  }
}

/** A statement's own lines (its adjustments left out) summed per part of revenue. */
function chargesOf(statement: { lines: { kind: string; amount: string; adjustment: unknown }[] }): {
  agents: string;
  usage: string;
  minimum: string;
  revenue: string;
} {
  const own = statement.lines.filter((line) => line.adjustment === null);
  const ofKinds = (...kinds: string[]) =>
    sumCents(own.filter((line) => kinds.includes(line.kind)).map((line) => line.amount));
  return {
    agents: ofKinds('agent_fee'),
    usage: ofKinds('usage', 'included_allowance'),
    minimum: ofKinds('minimum_top_up'),
    revenue: sumCents(own.map((line) => line.amount)),
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
    // Set on the day the orgs were created, before the months compared: their terms from the beginning.
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
  // Dated back from the end: owners may set a change from a past day.
  await sendDatedTerms(world, p);
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
const exercised = {
  bandRows: 0,
  rules: new Set<string>(),
  adjustments: 0,
  /** Statements billing a usage fee, an allowance, a minimum's top-up, a rate change mid-month. */
  statementLines: new Set<string>(),
  budgets: new Set<string>(),
  forecasts: new Set<string>(),
};

describe('billing.margins against an independent reference', () => {
  // BILLING_SEEDS=60 runs more worlds locally; CI keeps 16.
  it.each(Array.from({ length: Number(process.env.BILLING_SEEDS ?? 16) }, (_, i) => i + 1))(
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

        // Budgets from their own sequence, so the worlds the seeds drew before budgets stay the same:
        // none, or one under March's cost so far, between it and the forecast, or over the forecast.
        const budgets = prng(seed + 10_000);
        const march = expectedReport('2026-03', p.orgs, p.agents, atImport, kept, NOW);
        const centsOf = (usd: string) => BigInt(usd.replace('.', '').slice(0, -4) || '0');
        for (const org of p.orgs) {
          const row = march.orgs.find((candidate) => candidate.id === org.id);
          const soFar = centsOf(row?.cost ?? '0.000000');
          const ahead = centsOf(row?.forecast?.cost ?? '0.000000');
          const kind = budgets.int(0, 4);
          org.budgetCents =
            kind === 0
              ? null
              : kind === 1
                ? soFar / 2n
                : kind === 2
                  ? (soFar + ahead) / 2n
                  : ahead * 2n + BigInt(budgets.int(0, 10_000));
          await world.call('orgs.update', {
            id: org.id,
            budget: org.budgetCents === null ? null : money(org.budgetCents),
          });
        }

        // January is closed now: what changes it later is owed as adjustments on the next statements.
        const january = (await world.call('statements.close', { month: '2026-01' })).issued;
        const billedJanuary = expectedReport('2026-01', p.orgs, p.agents, atImport, kept);
        // Each statement bills exactly the org's revenue, part by part, and an org with revenue has one.
        for (const org of billedJanuary.orgs) {
          const statement = january.find((s) => s.org.id === org.id);
          if (!statement) {
            expect(org.revenue, `seed ${seed}, January of ${org.id} has no statement`).toBe('0.00');
            continue;
          }
          const issued = await world.call('statements.get', { number: statement.number });
          noteLines(issued);
          expect(chargesOf(issued), `seed ${seed}, January statement of ${org.id}`).toEqual(
            expectedCharges(billedJanuary, org.id),
          );
        }

        const rules = new Set<string>();
        const agrees = async (records: RefRecord[], when: string, prices = p.prices) => {
          world.clock.set(NOW);
          for (const month of MONTHS) {
            const expected = expectedReport(month, p.orgs, p.agents, prices, records, NOW);
            const report = await world.call('billing.margins', { month });
            expect(comparable(report), `seed ${seed}, ${month}, ${when}`).toEqual(expected);
            for (const { rules: used } of report.fallbacks) for (const rule of used) rules.add(rule);
            for (const org of report.orgs) {
              const terms = p.orgs.find((candidate) => candidate.id === org.id);
              const minimum = [...(terms?.minimumCents ?? [])]
                .sort((a, b) => (a.from < b.from ? -1 : 1))
                .filter((change) => change.from <= `${month}-01`)
                .pop()?.value;
              // A forecast with a usage fee so far, and one the minimum tops up.
              if (org.forecast && org.revenue_usage !== '0.00') exercised.forecasts.add('usage fee');
              if (org.forecast && minimum && org.forecast.revenue === money(minimum))
                exercised.forecasts.add('minimum');
              const on = org.forecast?.budget_exceeded_on;
              if (org.forecast && org.forecast.budget_use === null) exercised.budgets.add('no budget');
              else if (on === null) exercised.budgets.add('stays under');
              else if (on !== undefined) exercised.budgets.add(on < day(NOW) ? 'reached' : 'will reach');
            }
          }
          const trend = await world.call('billing.trend', { month: '2026-03', months: 3 });
          expect(trend, `seed ${seed}, ${when}`).toEqual(
            MONTHS.map((month) => {
              const expected = expectedReport(month, p.orgs, p.agents, prices, records, NOW);
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
        // A rate changed after the import, without a day: from today (the clock's UTC day) on, so
        // the months before keep theirs and the current one splits.
        const changed = rng.pick(p.agents);
        const rate = BigInt(rng.int(100, 20_000));
        changed.rateChanges = [
          ...(changed.rateChanges ?? []).filter((c) => c.from !== day(END)),
          { from: day(END), value: rate },
        ];
        await world.call('agents.update', { id: changed.id, rate: money(rate) });

        await agrees(kept, 'later prices and a rate change');

        // Undone and redone imports, later prices and a rate change: what January still owes.
        const nowJanuary = expectedReport('2026-01', p.orgs, p.agents, p.prices, kept);
        const pending = await world.call('statements.pending', {});
        const owed = new Map(
          january.map((s) => [s.org.id, expectedAdjustment(billedJanuary, nowJanuary, s.org.id)]),
        );
        for (const [orgId, expected] of owed) {
          const ofOrg = pending.filter((adjustment) => adjustment.org.id === orgId);
          const ofKinds = (...kinds: string[]) =>
            sumCents(ofOrg.filter((a) => kinds.includes(a.kind)).map((a) => a.amount));
          expect(
            {
              agents: ofKinds('agent_fee'),
              usage: ofKinds('usage', 'included_allowance'),
              minimum: ofKinds('minimum_top_up'),
              revenue: sumCents(ofOrg.map((a) => a.amount)),
              tokens: ofOrg.reduce((t, a) => t + BigInt(a.tokens), 0n),
            },
            `seed ${seed}, pending for ${orgId}`,
          ).toEqual(expected);
        }
        // An org moved away now takes none of that along: the install it moves to bills none of
        // January (closed here, on a statement or with nothing to bill). Its export names what
        // January still charges or credits it, as the reference works it out.
        const archives = new Map<string, string>();
        for (const { id: orgId } of billedJanuary.orgs) {
          const expected = expectedAdjustment(billedJanuary, nowJanuary, orgId);
          const charged = pending.filter((a) => a.org.id === orgId && a.amount !== '0.00').length;
          const exported = await world.call('orgs.export', { id: orgId });
          expect(exported.unbilled, `seed ${seed}, export of ${orgId}`).toEqual(
            charged === 0 ? null : { adjustments: charged, total: expected.revenue },
          );
          archives.set(orgId, exported.content);
        }
        // Moved in (here, as another org), its January is closed: billed nothing, owing nothing,
        // and its client told it was billed before the move, on the statement it has.
        const movingId = prng(seed + 20_000).pick([...archives.keys()]);
        const moved = await importArchive(world, archives.get(movingId) ?? '', 'moved-in');
        const closedAgain = await world.call('statements.close', { month: '2026-01', org: moved.org.id });
        expect(closedAgain.issued, `seed ${seed}, January of the org moved in`).toEqual([]);
        expect(closedAgain.skipped[0]?.reason).toMatch(/by the Orgdeck the org was moved from/);
        expect(await world.call('statements.pending', { org: moved.org.id })).toEqual([]);
        expect(
          (await world.call('statements.usage', { month: '2026-01', org: moved.org.id })).closed,
        ).toEqual({
          statement: january.find((s) => s.org.id === movingId)?.number ?? null,
          before_move: true,
          adjusted_on: [],
          adjustment: null,
        });
        // February's statements carry them, once: nothing stays pending.
        const february = (await world.call('statements.close', { month: '2026-02' })).issued;
        for (const [orgId, expected] of owed) {
          const statement = february.find((s) => s.org.id === orgId);
          if (expected.revenue === '0.00' && expected.tokens === 0n) continue;
          const carried = await world.call('statements.get', { number: statement?.number ?? '' });
          expect(carried.totals.adjustments, `seed ${seed}, February for ${orgId}`).toBe(expected.revenue);
          noteLines(carried);
          // February's own lines bill February as it stands.
          expect(chargesOf(carried), `seed ${seed}, February statement of ${orgId}`).toEqual(
            expectedCharges(expectedReport('2026-02', p.orgs, p.agents, p.prices, kept), orgId),
          );
        }
        expect(await world.call('statements.pending', {})).toEqual([]);
        exercised.adjustments += pending.length;
        // The world exercises the rules: category and tier fallbacks, and long-context bands.
        exercised.bandRows += await asEveryOrg(world.backend, (db) =>
          Number(db.prepare('SELECT count(*) FROM usage_days WHERE band > 0').pluck().get()),
        );
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
    expect(exercised.adjustments).toBeGreaterThan(0);
    expect([...exercised.statementLines].sort()).toEqual([
      'agent_fee',
      'included_allowance',
      'minimum_top_up',
      'rate change',
      'usage',
    ]);
    for (const rule of [
      'cache_read at the input price',
      'cache_write_Nh at the cache_write price',
      'reasoning at the output price',
      'input in the batch tier at the standard price',
      'input above N prompt tokens at the price without a band',
    ])
      expect(exercised.rules).toContain(rule);
    // The forecasts met orgs without a budget, under it, over it already and heading over it.
    expect([...exercised.budgets].sort()).toEqual(['no budget', 'reached', 'stays under', 'will reach']);
    // Forecast revenue met the usage fee and the minimum's top-up.
    expect([...exercised.forecasts].sort()).toEqual(['minimum', 'usage fee']);
  });
});

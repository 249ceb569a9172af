import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentIn,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
} from '../fixtures/billing';

/** gpt-a at $1 input / $2 output per million, gpt-b at $3 / $4: a token's cost is a whole micro-dollar. */
const PRICES = { 'gpt-a': [1n, 2n], 'gpt-b': [3n, 4n] } as const;
type Model = keyof typeof PRICES;
const OCTOBER_1 = 1790812800;

/** One result of an OpenAI usage page: its bucket's day, the key, model and tier it is summed by. */
interface Result {
  day: number;
  key: 'key_a' | 'key_b';
  model: Model;
  batch: boolean;
  input: number;
  cached: number;
  output: number;
}
/** One download of the month: its results, and whether key_b was re-mapped to the other agent first. */
interface Export {
  remapKeyB: boolean;
  results: Result[];
}

const result: fc.Arbitrary<Result> = fc
  .record({
    day: fc.integer({ min: 0, max: 4 }),
    key: fc.constantFrom('key_a' as const, 'key_b' as const),
    model: fc.constantFrom<Model>('gpt-a', 'gpt-b'),
    batch: fc.boolean(),
    input: fc.integer({ min: 0, max: 5_000_000 }),
    share: fc.integer({ min: 0, max: 100 }),
    output: fc.integer({ min: 0, max: 2_000_000 }),
  })
  .map(({ share, ...rest }) => ({ ...rest, cached: Math.floor((rest.input * share) / 100) }));

const bucketOf = (r: Result) => `${r.day} ${r.key} ${r.model} ${r.batch}`;

/** A download groups each bucket once: later results of the same bucket in one list are dropped. */
const exportArb: fc.Arbitrary<Export> = fc.record({
  remapKeyB: fc.boolean(),
  results: fc.uniqueArray(result, { selector: bucketOf, maxLength: 12 }),
});

/** The page as downloaded; keys carry the run's number, so runs sharing the store stay apart. */
function pageOf(results: Result[], run: number): string {
  const byDay = new Map<number, Result[]>();
  for (const r of results) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  return JSON.stringify({
    object: 'page',
    data: [...byDay].map(([day, rows]) => ({
      object: 'bucket',
      start_time: OCTOBER_1 + day * 86_400,
      end_time: OCTOBER_1 + (day + 1) * 86_400,
      results: rows.map((r) => ({
        object: 'organization.usage.completions.result',
        input_tokens: r.input,
        input_cached_tokens: r.cached,
        output_tokens: r.output,
        num_model_requests: 1,
        api_key_id: `${r.key}-${run}`,
        project_id: null,
        user_id: null,
        model: r.model,
        batch: r.batch,
      })),
    })),
  });
}

const dollars = (micros: bigint) =>
  `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;

/**
 * The rule, worked out plainly: each bucket counts as the last download that held it, for the agent
 * its key was mapped to at that download; a bucket no later download holds keeps its last counts.
 */
function reference(exports: Export[]) {
  let keyBAgent: 'ann' | 'bob' = 'bob';
  const last = new Map<string, { result: Result; agent: 'ann' | 'bob' }>();
  for (const download of exports) {
    if (download.remapKeyB) keyBAgent = keyBAgent === 'bob' ? 'ann' : 'bob';
    for (const r of download.results)
      last.set(bucketOf(r), { result: r, agent: r.key === 'key_a' ? 'ann' : keyBAgent });
  }
  const totals = { ann: { input: 0, output: 0, cost: 0n }, bob: { input: 0, output: 0, cost: 0n } };
  for (const { result: r, agent } of last.values()) {
    const [inputPrice, outputPrice] = PRICES[r.model];
    totals[agent].input += r.input - r.cached;
    totals[agent].output += r.output;
    // Cached input has no price of its own here: it falls back to the input price.
    totals[agent].cost += BigInt(r.input) * inputPrice + BigInt(r.output) * outputPrice;
  }
  return totals;
}

describe('re-exported provider buckets', () => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = openBillingWorld('2026-10-20T00:00:00Z');
    for (const [model, [input, output]] of Object.entries(PRICES))
      await setPrice(world, model, `${input}.00`, `${output}.00`, '2026-01-01');
  });
  afterAll(() => world.cleanup());

  it('always leave each bucket at its last download’s counts, with the agent its key named then', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(exportArb, { minLength: 1, maxLength: 5 }), async (exports) => {
        // A fresh org, agents and keys per run: the runs share one store.
        run++;
        const org = await createOrg(world, `Run ${run}`, '10.00');
        const ann = await createAgent(world, `ann-${run}`);
        const bob = await createAgent(world, `bob-${run}`);
        for (const agent of [ann, bob]) await assign(world, agent.id, org.id, '2026-09-01T00:00:00Z');
        const keyA = { source: 'openai', kind: 'api_key', value: `key_a-${run}` } as const;
        const keyB = { ...keyA, value: `key_b-${run}` } as const;
        await world.call('aliases.add', { ...keyA, agentId: ann.id });
        await world.call('aliases.add', { ...keyB, agentId: bob.id });
        let keyBAgent = bob.id;

        for (const download of exports) {
          if (download.remapKeyB) {
            keyBAgent = keyBAgent === bob.id ? ann.id : bob.id;
            await world.call('aliases.remove', keyB);
            await world.call('aliases.add', { ...keyB, agentId: keyBAgent });
          }
          const job = await world.importText(`run-${run}.json`, pageOf(download.results, run));
          expect(job).toMatchObject({ status: 'done', bad: 0, unmatched: [] });
        }

        const expected = reference(exports);
        const report = orgIn(await margins(world, '2026-10'), org.id);
        for (const [name, handle] of [
          ['ann', `ann-${run}`],
          ['bob', `bob-${run}`],
        ] as const) {
          const row = report.agents.find((agent) => agent.handle === handle);
          const want = expected[name];
          if (want.input === 0 && want.output === 0 && row === undefined) continue;
          const got = row ?? agentIn(report, handle);
          expect({ input: got.input_tokens, output: got.output_tokens, cost: got.cost }).toEqual({
            input: want.input,
            output: want.output,
            cost: dollars(want.cost),
          });
        }
      }),
      { numRuns: 60 },
    );
  });
});

import { DAY_MS } from '../../../shared/domain/days';
import { bandFor, TIERS } from '../../../shared/domain/token-pricing';
import {
  type AgentPlaces,
  type AttributionSource,
  createAttribution,
  type ModelPrices,
  periodOn,
} from './attribution';
import { SUM_COUNT, type SumTable, sumTableFor } from './sum-table';
import { DAYS, LONG_CONTEXT_UNSAID, MODELS, type UsageBatch } from './usage-batch';

/** Months since 1970-01 fit below this; a model and a month share one key part. */
const MONTHS = 4096;
/** Months are ordered by a rank below 2^33: a month and a slot rank. */
const SLOTS = 2 ** 21;
/** A row's tier and band share one key part: tier + TIER_COUNT × band threshold. */
const TIER_COUNT = TIERS.length;
const tierOf = (pricing: number) => pricing % TIER_COUNT;
const bandOf = (pricing: number) => Math.floor(pricing / TIER_COUNT);

/** Months since 1970-01 of each day number (below 65,536), worked out once per day. */
function monthSerials() {
  const serials = new Int32Array(65_536).fill(-1);
  return (day: number): number => {
    if (serials[day] === -1) {
      const date = new Date(day * DAY_MS);
      serials[day] = (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
    }
    return serials[day] as number;
  };
}

/**
 * The long-context band of row `i`, decided now against the price in effect on its day: the row's
 * long_context when it says, else its prompt per request against the price's thresholds.
 */
function bandOfRow(batch: UsageBatch, i: number, model: ModelPrices, day: number): number {
  const bands = periodOn(model, day)?.bands ?? [];
  if (bands.length === 0) return 0;
  const said = batch.longContext[i] as number;
  const prompt =
    (batch.input[i] as number) +
    (batch.cacheRead[i] as number) +
    (batch.cacheWrite[i] as number) +
    (batch.cacheWrite1h[i] as number);
  return bandFor(
    bands,
    prompt,
    batch.requests[i] as number,
    said === LONG_CONTEXT_UNSAID ? null : said === 1,
  );
}

/** A month serial as the rollups store months: yyyymm. */
const yyyymm = (serial: number) => (1970 + Math.floor(serial / 12)) * 100 + (serial % 12) + 1;

/**
 * `length` values over the buffer of `kept` (the last batch's rows), or a new buffer when that one
 * is too small: fresh memory for each batch's rows, hundreds of MB, cost a page fault per 4 KiB.
 */
function rowsIn(kept: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  return kept.buffer.byteLength >= length * Float64Array.BYTES_PER_ELEMENT
    ? new Float64Array(kept.buffer, 0, length)
    : new Float64Array(length);
}

/** Reports a row left out, and the handle it named when no agent has it. */
export type OnBad = (line: number, reason: string, missingAgent?: string) => void;

/** A batch's rows placed in slots, and the keys of the placed rows to record as seen. */
export interface PlacedBatch {
  /** Each row's slot (-1: no such agent). */
  slots: Int32Array;
  /** The placed rows' keys, sorted, each once. */
  uniqueKeys: BigInt64Array;
  /** Keys more than one placed row of the batch has: only the first counts. */
  repeated: Set<bigint>;
}

/**
 * Flat rollup rows, in the column orders of the usage import repositories, and what they counted.
 * The rows are typed arrays: a plain array of millions of values costs more to fill than to write.
 * Every value is an integer below 2^53, exact as a double. They are views of buffers the rollup
 * keeps for its next batch: written (or copied) before the next `sum`.
 */
export interface BatchRollup {
  /** [model, day, agent, org, tier, band, ...TOKEN_SUMS, job] per row, in (model, day) order. */
  dayRows: Float64Array;
  /** [month, org, agent, model, price, tier, band, ...TOKEN_SUMS] per row, in primary-key order. */
  monthRows: Float64Array;
  /** [month, org, model, price, tier, band, ...TOKEN_SUMS] per row. */
  orgMonthRows: Float64Array;
  imported: number;
  skipped: number;
}

export const DAY_COLUMNS = 6 + SUM_COUNT + 1;
export const MONTH_COLUMNS = 7 + SUM_COUNT;
export const ORG_MONTH_COLUMNS = 6 + SUM_COUNT;
/** Where a day row holds its org. */
export const DAY_ORG = 3;

/**
 * What a batch adds, worked out in memory for either engine: places each row (its agent's org at
 * its time, its model's price that day), then, given which keys were seen before, adds the new rows
 * up per day and per month, all as job `job`'s (usage_jobs), so the import can be undone. Rows
 * whose handle names no live agent are reported through `onBad` and not placed, so importing the
 * file again once the agent exists brings them in. The caller records the keys and writes the rows
 * in one transaction: place, record the keys, sum, write, settle.
 */
export function createBatchRollup(source: AttributionSource, job: number) {
  const attribution = createAttribution(source);
  const serialOf = monthSerials();

  // The reader's names for its numbers, and what they stand for under the current attribution.
  const agentNames: string[] = [];
  const modelNames: string[] = [];
  let agents: (AgentPlaces | undefined)[] = [];
  let models: ModelPrices[] = [];
  /** Per reader model number: whether any of its price periods has a long-context band. */
  let bandHas: boolean[] = [];
  let generation = -1;
  // Kept from batch to batch and emptied: new ones per batch took a few hundred MB of fresh memory each.
  let days: SumTable<'slot' | 'model' | 'day' | 'pricing'> | undefined;
  let months: SumTable<'slot' | 'modelMonth' | 'price' | 'pricing'> | undefined;
  let orgMonths: SumTable<'org' | 'modelMonth' | 'price' | 'pricing'> | undefined;
  /**
   * Batches whose new names are in agentNames and modelNames. Each is learned once, in the file's
   * order, however often it is placed: placed ahead (during the batch before it), placed again once
   * the attribution reloaded, or written again after a conflict once the batch after it was placed
   * ahead (import-usage-pg.ts). The reader seals a new object per batch.
   */
  const learned = new WeakSet<UsageBatch>();
  // The buffers the last batch's rows were written into, for the next batch's.
  let dayRows = new Float64Array(0);
  let monthRows = new Float64Array(0);
  let orgMonthRows = new Float64Array(0);

  function learn(batch: UsageBatch): void {
    if (!learned.has(batch)) {
      agentNames.push(...batch.newAgents);
      modelNames.push(...batch.newModels);
      learned.add(batch);
    }
    if (modelNames.length > MODELS) throw new Error(`A usage file may name at most ${MODELS} models.`);
    if (generation !== attribution.generation()) {
      generation = attribution.generation();
      agents = [];
      models = [];
      bandHas = [];
    }
    for (let id = agents.length; id < agentNames.length; id++)
      agents.push(attribution.agent(agentNames[id] as string));
    for (let id = models.length; id < modelNames.length; id++) {
      const model = attribution.model(modelNames[id] as string);
      models.push(model);
      bandHas.push(model.periods.some((period) => period.bands.length > 0));
    }
  }

  /** Each row's slot (-1: no such agent), and the rows placed nowhere, in the file's order. */
  function placeRows(batch: UsageBatch) {
    const slots = new Int32Array(batch.size).fill(-1);
    const unplaced: number[] = [];
    for (let i = 0; i < batch.size; i++) {
      const agent = agents[batch.agent[i] as number];
      if (agent) slots[i] = attribution.slotAt(agent, batch.at[i] as number);
      else unplaced.push(i);
    }
    return {
      slots,
      unplaced: unplaced.sort((a, b) => (batch.lines[a] as number) - (batch.lines[b] as number)),
    };
  }

  /** The placed rows' keys sorted, each once, and those more than one placed row has. */
  function placedKeys(batch: UsageBatch, slots: Int32Array) {
    const sorted = new BigInt64Array(batch.size);
    // Keys are copied as their two 32-bit words: reading a BigInt64Array element makes a BigInt.
    const words = new Uint32Array(sorted.buffer);
    const batchWords = new Uint32Array(batch.keys.buffer, batch.keys.byteOffset, 2 * batch.size);
    let placed = 0;
    for (let i = 0; i < batch.size; i++) {
      if ((slots[i] as number) < 0) continue;
      words[2 * placed] = batchWords[2 * i] as number;
      words[2 * placed + 1] = batchWords[2 * i + 1] as number;
      placed++;
    }
    sorted.subarray(0, placed).sort();
    const repeated = new Set<bigint>();
    let unique = 0;
    for (let i = 0; i < placed; i++) {
      const low = words[2 * i] as number;
      const high = words[2 * i + 1] as number;
      if (i > 0 && low === words[2 * i - 2] && high === words[2 * i - 1]) repeated.add(sorted[i] as bigint);
      else {
        words[2 * unique] = low;
        words[2 * unique + 1] = high;
        unique++;
      }
    }
    return { uniqueKeys: sorted.subarray(0, unique), repeated };
  }

  /** Keys more than one row of the batch has, all rows placed: the reader marked their rows. */
  function repeatedKeys(batch: UsageBatch): Set<bigint> {
    const repeated = new Set<bigint>();
    for (let i = 0; i < batch.size; i++) if (batch.repeats[i] === 1) repeated.add(batch.keys[i] as bigint);
    return repeated;
  }

  /**
   * Whether row `i` was imported before (`known`) or by an earlier line of the batch: rows come in
   * the rollups' order, so of the placed rows that share a key, the one first in the file counts.
   */
  function seenTest(
    batch: UsageBatch,
    slots: Int32Array,
    known: Set<bigint>,
    repeated: Set<bigint>,
  ): (i: number) => boolean {
    if (known.size === 0 && repeated.size === 0) return () => false;
    const firstLine = new Map<bigint, number>();
    if (repeated.size > 0)
      for (let i = 0; i < batch.size; i++) {
        if (batch.repeats[i] !== 1 || (slots[i] as number) < 0) continue;
        const key = batch.keys[i] as bigint;
        const first = firstLine.get(key);
        if (repeated.has(key) && (first === undefined || (batch.lines[i] as number) < first))
          firstLine.set(key, batch.lines[i] as number);
      }
    return (i) => {
      const key = batch.keys[i] as bigint;
      if (known.has(key)) return true;
      const first = firstLine.get(key);
      return first !== undefined && first !== batch.lines[i];
    };
  }

  /** First, at the start of the batch's transaction: where each row goes, and the keys to record. */
  function place(batch: UsageBatch, onBad: OnBad): PlacedBatch {
    attribution.refresh();
    if (attribution.slots() > SLOTS)
      throw new Error(`Usage is placed in at most ${SLOTS} agent and org pairs.`);
    learn(batch);
    for (const { line, reason } of batch.bad) onBad(line, reason);
    const { slots, unplaced } = placeRows(batch);
    for (const i of unplaced) {
      const handle = agentNames[batch.agent[i] as number] as string;
      onBad(batch.lines[i] as number, `no agent with the handle "${handle}"`, handle);
    }
    // Usually every row is placed, and the keys the reader sorted are the ones to record.
    if (unplaced.length === 0) return { slots, uniqueKeys: batch.uniqueKeys, repeated: repeatedKeys(batch) };
    return { slots, ...placedKeys(batch, slots) };
  }

  /** Then, once the keys are recorded (`known`: those recorded before), the rows the batch adds. */
  function sum(batch: UsageBatch, placed: PlacedBatch, known: Set<bigint>): BatchRollup {
    const { slots } = placed;
    const seenBefore = seenTest(batch, slots, known, placed.repeated);

    days = sumTableFor(days, Math.max(1, batch.size), ['slot', 'model', 'day', 'pricing']);
    const daySums = days.sums;
    let imported = 0;
    let skipped = 0;
    // Rows come a (model, day) at a time, and no key is in two: each pair's keys are looked up
    // among themselves, sized after the pair before.
    let pairStart = 0;
    let pair = -1;
    for (let i = 0; i < batch.size; i++) {
      const slot = slots[i] as number;
      if (slot < 0) continue;
      if (seenBefore(i)) {
        skipped++;
        continue;
      }
      const day = Math.floor((batch.at[i] as number) / DAY_MS);
      const model = batch.model[i] as number;
      if (model * DAYS + day !== pair) {
        pair = model * DAYS + day;
        days.scope(days.size - pairStart);
        pairStart = days.size;
      }
      const band = bandHas[model] ? bandOfRow(batch, i, models[model] as ModelPrices, day) : 0;
      // In TOKEN_SUMS order.
      const at = days.entry(slot, model, day, (batch.tier[i] as number) + TIER_COUNT * band) * SUM_COUNT;
      daySums[at] = (daySums[at] as number) + (batch.input[i] as number);
      daySums[at + 1] = (daySums[at + 1] as number) + (batch.output[i] as number);
      daySums[at + 2] = (daySums[at + 2] as number) + (batch.cacheRead[i] as number);
      daySums[at + 3] = (daySums[at + 3] as number) + (batch.cacheWrite[i] as number);
      daySums[at + 4] = (daySums[at + 4] as number) + (batch.cacheWrite1h[i] as number);
      daySums[at + 5] = (daySums[at + 5] as number) + (batch.reasoning[i] as number);
      daySums[at + 6] = (daySums[at + 6] as number) + 1;
      imported++;
    }

    // Days are written in their index's order, (model, day), the rows' and so their entries' order:
    // new rows then join few index pages, one after another.
    // Each day row ends with the import job that added it, so the import can be undone.
    months = sumTableFor(months, Math.max(1, days.size), ['slot', 'modelMonth', 'price', 'pricing']);
    dayRows = rowsIn(dayRows, days.size * DAY_COLUMNS);
    const { slot: daySlot, model: dayModel, day: dayDay, pricing: dayPricing } = days.key;
    let w = 0;
    // Entries come a (model, day) at a time: its month and price period are worked out once.
    let modelDay = -1;
    let monthOfDay = -1;
    let monthStart = 0;
    let priceOfDay = 0;
    for (let at = 0; at < days.size; at++) {
      const slot = daySlot[at] as number;
      const model = models[dayModel[at] as number] as ModelPrices;
      const day = dayDay[at] as number;
      const pricing = dayPricing[at] as number;
      if ((dayModel[at] as number) * DAYS + day !== modelDay) {
        modelDay = (dayModel[at] as number) * DAYS + day;
        const month = model.ref * MONTHS + serialOf(day);
        // A model's month's days come one after another: its keys are looked up among themselves.
        if (month !== monthOfDay) {
          months.scope(months.size - monthStart);
          monthStart = months.size;
        }
        monthOfDay = month;
        priceOfDay = periodOn(model, day)?.id ?? 0;
      }
      dayRows[w++] = model.ref;
      dayRows[w++] = day;
      dayRows[w++] = attribution.slotAgent(slot);
      dayRows[w++] = attribution.slotOrg(slot);
      dayRows[w++] = tierOf(pricing);
      dayRows[w++] = bandOf(pricing);
      days.copySums(at, dayRows, w);
      w += SUM_COUNT;
      dayRows[w++] = job;
      months.addEntry(slot, monthOfDay, priceOfDay, pricing, days, at);
    }

    // Months in primary-key order (month, org, agent, …), so each page of the sums is visited once.
    orgMonths = sumTableFor(orgMonths, Math.max(1, months.size), ['org', 'modelMonth', 'price', 'pricing']);
    monthRows = rowsIn(monthRows, months.size * MONTH_COLUMNS);
    const {
      slot: monthSlot,
      modelMonth: monthModelMonth,
      price: monthPrice,
      pricing: monthPricing,
    } = months.key;
    w = 0;
    for (const at of months.order(
      (at) =>
        ((monthModelMonth[at] as number) % MONTHS) * SLOTS + attribution.slotRank(monthSlot[at] as number),
    )) {
      const slot = monthSlot[at] as number;
      const org = attribution.slotOrg(slot);
      const modelMonth = monthModelMonth[at] as number;
      const price = monthPrice[at] as number;
      const pricing = monthPricing[at] as number;
      monthRows[w++] = yyyymm(modelMonth % MONTHS);
      monthRows[w++] = org;
      monthRows[w++] = attribution.slotAgent(slot);
      monthRows[w++] = Math.floor(modelMonth / MONTHS);
      monthRows[w++] = price;
      monthRows[w++] = tierOf(pricing);
      monthRows[w++] = bandOf(pricing);
      months.copySums(at, monthRows, w);
      w += SUM_COUNT;
      orgMonths.addEntry(org, modelMonth, price, pricing, months, at);
    }

    orgMonthRows = rowsIn(orgMonthRows, orgMonths.size * ORG_MONTH_COLUMNS);
    w = 0;
    for (let at = 0; at < orgMonths.size; at++) {
      const modelMonth = orgMonths.key.modelMonth[at] as number;
      const pricing = orgMonths.key.pricing[at] as number;
      orgMonthRows[w++] = yyyymm(modelMonth % MONTHS);
      orgMonthRows[w++] = orgMonths.key.org[at] as number;
      orgMonthRows[w++] = Math.floor(modelMonth / MONTHS);
      orgMonthRows[w++] = orgMonths.key.price[at] as number;
      orgMonthRows[w++] = tierOf(pricing);
      orgMonthRows[w++] = bandOf(pricing);
      orgMonths.copySums(at, orgMonthRows, w);
      w += SUM_COUNT;
    }

    return { dayRows, monthRows, orgMonthRows, imported, skipped };
  }

  return {
    place,
    sum,
    /** Last, after the batch's writes: its own revision bump is no reason to reload. */
    settle: attribution.settle,
  };
}

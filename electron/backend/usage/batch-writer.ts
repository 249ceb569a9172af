import type { Db } from '../store/database';
import { createUsageImportRepo } from '../store/repos/usage-import-repo';
import { type AgentPlaces, createAttribution, type ModelPrices, priceOn } from './attribution';
import { SumTable } from './sum-table';
import type { UsageBatch } from './usage-batch';

const DAY_MS = 86_400_000;
/** Months since 1970-01 fit below this; a model and a month share one key part. */
const MONTHS = 4096;
/** Day numbers fit below this (usage-row refuses times past 2149). */
const DAYS = 65_536;
/** Sort keys are ranks below 2^33: a model number of the reader's and a day, or a month and a slot rank. */
const MODELS = 2 ** 17;
const SLOTS = 2 ** 21;

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

/** A month serial as the rollups store months: yyyymm. */
const yyyymm = (serial: number) => (1970 + Math.floor(serial / 12)) * 100 + (serial % 12) + 1;

interface BatchResult {
  imported: number;
  skipped: number;
}

/**
 * Writes a batch inside the caller's transaction: places each row (its agent's org at its time,
 * its model's price that day), records the keys of the new rows and adds them up per day and per
 * month, all as job `job`'s (usage_jobs), so the import can be undone. Rows whose handle names no live agent are reported through `onBad` and not recorded, so
 * importing the file again once the agent exists brings them in.
 */
export function createBatchWriter(db: Db, job: number) {
  const writes = createUsageImportRepo(db);
  const attribution = createAttribution(db, writes);
  const serialOf = monthSerials();

  // The reader's names for its numbers, and what they stand for under the current attribution.
  const agentNames: string[] = [];
  const modelNames: string[] = [];
  let agents: (AgentPlaces | undefined)[] = [];
  let models: ModelPrices[] = [];
  let generation = -1;

  function learn(batch: UsageBatch): void {
    agentNames.push(...batch.newAgents);
    modelNames.push(...batch.newModels);
    if (modelNames.length > MODELS) throw new Error(`A usage file may name at most ${MODELS} models.`);
    if (generation !== attribution.generation()) {
      generation = attribution.generation();
      agents = [];
      models = [];
    }
    for (let id = agents.length; id < agentNames.length; id++)
      agents.push(attribution.agent(agentNames[id] as string));
    for (let id = models.length; id < modelNames.length; id++)
      models.push(attribution.model(modelNames[id] as string));
  }

  /** Each row's slot (-1: no such agent); the keys of the placed rows, sorted. */
  function place(batch: UsageBatch, onBad: (line: number, reason: string) => void) {
    const slots = new Int32Array(batch.size).fill(-1);
    const keys = new BigInt64Array(batch.size);
    let placed = 0;
    for (let i = 0; i < batch.size; i++) {
      const agent = agents[batch.agent[i] as number];
      if (!agent) {
        onBad(batch.lines[i] as number, `no agent with the handle "${agentNames[batch.agent[i] as number]}"`);
        continue;
      }
      slots[i] = attribution.slotAt(agent, batch.at[i] as number);
      keys[placed++] = batch.keys[i] as bigint;
    }
    return { slots, sortedKeys: keys.subarray(0, placed).sort() };
  }

  /** Records the keys; returns a test of whether row `i` was imported before (or earlier in the batch). */
  function recordKeys(batch: UsageBatch, sorted: BigInt64Array): (i: number) => boolean {
    const repeated = new Set<bigint>();
    let unique = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) repeated.add(sorted[i] as bigint);
      else sorted[unique++] = sorted[i] as bigint;
    }
    const known = writes.markSeen(sorted.subarray(0, unique), job);
    if (known.size === 0 && repeated.size === 0) return () => false;
    const taken = new Set<bigint>();
    return (i) => {
      const key = batch.keys[i] as bigint;
      if (known.has(key) || taken.has(key)) return true;
      if (repeated.has(key)) taken.add(key);
      return false;
    };
  }

  function write(batch: UsageBatch, onBad: (line: number, reason: string) => void): BatchResult {
    attribution.refresh();
    if (attribution.slots() > SLOTS)
      throw new Error(`Usage is placed in at most ${SLOTS} agent and org pairs.`);
    learn(batch);
    for (const { line, reason } of batch.bad) onBad(line, reason);
    const { slots, sortedKeys } = place(batch, onBad);
    const seenBefore = recordKeys(batch, sortedKeys);

    const days = new SumTable(Math.max(1, batch.size));
    let imported = 0;
    let skipped = 0;
    for (let i = 0; i < batch.size; i++) {
      const slot = slots[i] as number;
      if (slot < 0) continue;
      if (seenBefore(i)) {
        skipped++;
        continue;
      }
      const day = Math.floor((batch.at[i] as number) / DAY_MS);
      days.add(slot, batch.model[i] as number, day, batch.input[i] as number, batch.output[i] as number, 1);
      imported++;
    }

    // Days are written in their index's order, (model, day): new rows then join few index pages,
    // one after another.
    const months = new SumTable(Math.max(1, days.size));
    const dayRows: (number | bigint)[] = new Array(days.size * 8);
    let w = 0;
    for (const at of days.order((at) => (days.b[at] as number) * DAYS + (days.c[at] as number))) {
      const slot = days.a[at] as number;
      const model = models[days.b[at] as number] as ModelPrices;
      const day = days.c[at] as number;
      dayRows[w++] = model.ref;
      dayRows[w++] = day;
      dayRows[w++] = attribution.slotAgent(slot);
      dayRows[w++] = attribution.slotOrg(slot);
      days.copySums(at, dayRows, w);
      months.addEntry(slot, model.ref * MONTHS + serialOf(day), priceOn(model, day), days, at);
      w += 3;
      dayRows[w++] = job;
    }

    // Months in primary-key order (month, org, agent, …), so each page of the sums is visited once.
    const orgMonths = new SumTable(Math.max(1, months.size));
    const monthRows: (number | bigint)[] = new Array(months.size * 8);
    w = 0;
    for (const at of months.order(
      (at) => ((months.b[at] as number) % MONTHS) * SLOTS + attribution.slotRank(months.a[at] as number),
    )) {
      const slot = months.a[at] as number;
      const org = attribution.slotOrg(slot);
      monthRows[w++] = yyyymm((months.b[at] as number) % MONTHS);
      monthRows[w++] = org;
      monthRows[w++] = attribution.slotAgent(slot);
      monthRows[w++] = Math.floor((months.b[at] as number) / MONTHS);
      monthRows[w++] = months.c[at] as number;
      months.copySums(at, monthRows, w);
      orgMonths.addEntry(org, months.b[at] as number, months.c[at] as number, months, at);
      w += 3;
    }

    const orgMonthRows: (number | bigint)[] = new Array(orgMonths.size * 7);
    w = 0;
    for (let at = 0; at < orgMonths.size; at++) {
      orgMonthRows[w++] = yyyymm((orgMonths.b[at] as number) % MONTHS);
      orgMonthRows[w++] = orgMonths.a[at] as number;
      orgMonthRows[w++] = Math.floor((orgMonths.b[at] as number) / MONTHS);
      orgMonthRows[w++] = orgMonths.c[at] as number;
      orgMonths.copySums(at, orgMonthRows, w);
      w += 3;
    }

    writes.appendDays(dayRows);
    writes.addMonths(monthRows);
    writes.addOrgMonths(orgMonthRows);
    if (imported > 0) writes.bumpRevision();
    attribution.settle();
    return { imported, skipped };
  }

  return { write };
}

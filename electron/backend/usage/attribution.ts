import { DAY_MS } from '../../../shared/domain/days';
import type { RefKind } from '../store/repos/usage-refs';

interface Stay {
  from: number;
  to: number;
  slot: number;
}

/** What placing records reads from the store: SQLite's import repository, or a load of PostgreSQL's. */
export interface AttributionSource {
  liveAgents(): Iterable<{ id: string; handle: string }>;
  /** Handles usage files name that no agent has, each with the live agent's handle it stands for. */
  handleAliases(): Iterable<{ value: string; handle: string }>;
  /** Every agent's stays in orgs, by agent then start. */
  assignments(): Iterable<{ agent_id: string; org_id: string; from_at: string; to_at: string | null }>;
  /** Every price period, by model then start, with its band thresholds ascending. */
  pricePeriods(): Iterable<{ id: number; model: string; effective_from: string; bands: number[] }>;
  revision(): number;
  /** Moves when another connection commits. */
  dataVersion(): number;
  /** Every agent's, org's and model's usage_refs integer, by kind then name. */
  refs(): Map<RefKind, Map<string, number>>;
  ref(kind: RefKind, name: string): number;
}

export interface AgentPlaces {
  /** The agent's stays in orgs, oldest first. */
  stays: Stay[];
  /** Where its usage goes while it is in no org. */
  noOrgSlot: number;
}

export interface PricePeriod {
  /** From this day (days since 1970-01-01) on. */
  firstDay: number;
  /** model_prices id. */
  id: number;
  /** Its long-context band thresholds, ascending. */
  bands: number[];
}

export interface ModelPrices {
  ref: number;
  /** Price periods, oldest first. */
  periods: PricePeriod[];
}

/**
 * What the importer needs in memory to place a record: each handle's live agent and the orgs it
 * was in when, and each model's price periods. A slot is one (agent, org) pair, by integer names.
 * Loaded once, reloaded only when another connection has committed since (PRAGMA data_version)
 * or, on this same connection (an inline import), the billing revision moved other than by the
 * import's own batches.
 */
export function createAttribution(writes: AttributionSource) {
  let version = -1;
  let revision = -1;
  let byHandle = new Map<string, AgentPlaces>();
  let models = new Map<string, ModelPrices>();
  let periodsByModel = new Map<string, ModelPrices['periods']>();
  /** Per slot: the agent's and the org's integer names (org 0: in no org). */
  let slotAgent: number[] = [];
  let slotOrg: number[] = [];
  /** Per slot: its place in (org, agent) order, the order monthly sums are stored in. */
  let slotRank = new Int32Array(0);
  /** Moves at every load: what callers derived from the previous one is stale. */
  let generation = 0;

  function load(): void {
    generation++;
    const refs = writes.refs();
    const agentRefs = refs.get('agent') as Map<string, number>;
    const orgRefs = refs.get('org') as Map<string, number>;
    /** Slot by agent, then org. */
    const slots = new Map<number, Map<number, number>>();
    slotAgent = [];
    slotOrg = [];
    const slotOf = (agent: number, org: number) => {
      let ofAgent = slots.get(agent);
      if (ofAgent === undefined) {
        ofAgent = new Map();
        slots.set(agent, ofAgent);
      }
      let slot = ofAgent.get(org);
      if (slot === undefined) {
        slot = slotAgent.push(agent) - 1;
        slotOrg.push(org);
        ofAgent.set(org, slot);
      }
      return slot;
    };
    const stays = new Map<string, { orgId: string; from: number; to: number }[]>();
    for (const row of writes.assignments()) {
      const list = stays.get(row.agent_id) ?? [];
      list.push({
        orgId: row.org_id,
        from: Date.parse(row.from_at),
        to: row.to_at ? Date.parse(row.to_at) : Infinity,
      });
      stays.set(row.agent_id, list);
    }
    byHandle = new Map();
    for (const agent of writes.liveAgents()) {
      const ref = agentRefs.get(agent.id) as number;
      byHandle.set(agent.handle, {
        noOrgSlot: slotOf(ref, 0),
        stays: (stays.get(agent.id) ?? []).map((stay) => ({
          from: stay.from,
          to: stay.to,
          slot: slotOf(ref, orgRefs.get(stay.orgId) as number),
        })),
      });
    }
    // An old handle an alias maps counts as its agent's; an agent that has the handle itself comes first.
    for (const alias of writes.handleAliases()) {
      const places = byHandle.get(alias.handle);
      if (places && !byHandle.has(alias.value)) byHandle.set(alias.value, places);
    }
    const ranked = slotAgent.map((_, slot) => slot);
    ranked.sort(
      (x, y) =>
        (slotOrg[x] as number) - (slotOrg[y] as number) ||
        (slotAgent[x] as number) - (slotAgent[y] as number),
    );
    slotRank = new Int32Array(ranked.length);
    ranked.forEach((slot, rank) => {
      slotRank[slot] = rank;
    });
    periodsByModel = new Map();
    for (const price of writes.pricePeriods()) {
      const list = periodsByModel.get(price.model) ?? [];
      list.push({
        firstDay: Date.parse(`${price.effective_from}T00:00:00Z`) / DAY_MS,
        id: price.id,
        bands: price.bands,
      });
      periodsByModel.set(price.model, list);
    }
    models = new Map(
      [...(refs.get('model') as Map<string, number>)].map(([name, ref]) => [
        name,
        { ref, periods: periodsByModel.get(name) ?? [] },
      ]),
    );
  }

  return {
    /** Reloads if the store changed under us; call at the start of each batch's transaction. */
    refresh(): void {
      const current = writes.dataVersion();
      // data_version does not move for this connection's own commits: the revision does.
      const n = writes.revision();
      if (current !== version || n !== revision) {
        load();
        version = current;
      }
      revision = n;
    },
    generation: () => generation,
    /** After a batch's own writes: its own revision bump is no reason to reload. */
    settle(): void {
      revision = writes.revision();
    },
    agent: (handle: string) => byHandle.get(handle),
    /** The slot of the org the agent was in at `at`, or its no-org slot. */
    slotAt(agent: AgentPlaces, at: number): number {
      const { stays } = agent;
      let lo = 0;
      let hi = stays.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const stay = stays[mid] as Stay;
        if (at < stay.from) hi = mid - 1;
        else if (at >= stay.to) lo = mid + 1;
        else return stay.slot;
      }
      return agent.noOrgSlot;
    },
    slotAgent: (slot: number) => slotAgent[slot] as number,
    slotOrg: (slot: number) => slotOrg[slot] as number,
    slotRank: (slot: number) => slotRank[slot] as number,
    slots: () => slotAgent.length,
    /** The model's integer name and prices, naming it first if it is new. */
    model(name: string): ModelPrices {
      let model = models.get(name);
      if (!model) {
        model = { ref: writes.ref('model', name), periods: periodsByModel.get(name) ?? [] };
        models.set(name, model);
      }
      return model;
    },
  };
}

/** The price period in effect on `day`, or undefined when the model had no price yet. */
export function periodOn(model: ModelPrices, day: number): PricePeriod | undefined {
  let found: PricePeriod | undefined;
  for (const period of model.periods) {
    if (period.firstDay > day) break;
    found = period;
  }
  return found;
}

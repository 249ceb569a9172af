import type { Db } from '../store/database';

interface Stay {
  orgId: string;
  from: number;
  to: number;
}

interface AgentStays {
  agentId: string;
  stays: Stay[];
}

/**
 * What the importer needs in memory to place a record: the live agent of each handle with its
 * assignment history, and each model's price periods. Loaded once, reloaded only when another
 * connection has committed since (PRAGMA data_version) or, on this same connection (an inline
 * import), the billing revision moved other than by the import's own batches.
 */
export function createAttribution(db: Db) {
  const agentsStmt = db.prepare<[], { id: string; handle: string }>(
    'SELECT id, handle FROM agents WHERE deleted_at IS NULL',
  );
  const staysStmt = db.prepare<
    [],
    { agent_id: string; org_id: string; from_at: string; to_at: string | null }
  >('SELECT agent_id, org_id, from_at, to_at FROM agent_assignments ORDER BY agent_id, from_at');
  const pricesStmt = db.prepare<[], { model: string; effective_from: string }>(
    'SELECT model, effective_from FROM model_prices ORDER BY model, effective_from',
  );
  const revisionStmt = db.prepare<[], { n: number }>('SELECT n FROM billing_revision');
  const revisionNow = () => revisionStmt.get()?.n ?? 0;
  let version = -1;
  let revision = -1;
  let byHandle = new Map<string, AgentStays>();
  let priceFroms = new Map<string, string[]>();

  function load(): void {
    const stays = new Map<string, Stay[]>();
    for (const row of staysStmt.all()) {
      const list = stays.get(row.agent_id) ?? [];
      list.push({
        orgId: row.org_id,
        from: Date.parse(row.from_at),
        to: row.to_at ? Date.parse(row.to_at) : Infinity,
      });
      stays.set(row.agent_id, list);
    }
    byHandle = new Map(
      agentsStmt
        .all()
        .map((agent) => [agent.handle, { agentId: agent.id, stays: stays.get(agent.id) ?? [] }]),
    );
    priceFroms = new Map();
    for (const price of pricesStmt.all()) {
      const list = priceFroms.get(price.model) ?? [];
      list.push(price.effective_from);
      priceFroms.set(price.model, list);
    }
  }

  return {
    /** Reloads if the store changed under us; call at the start of each batch's transaction. */
    refresh(): void {
      const current = db.pragma('data_version', { simple: true }) as number;
      // data_version does not move for this connection's own commits: the revision does.
      const n = revisionNow();
      if (current !== version || n !== revision) {
        load();
        version = current;
      }
      revision = n;
    },
    /** After a batch's own writes: its own revision bump is no reason to reload. */
    settle(): void {
      revision = revisionNow();
    },
    agent: (handle: string) => byHandle.get(handle),
    /** The org the agent was in at `at`, or null (unattributed). */
    orgAt(agent: AgentStays, at: number): string | null {
      const { stays } = agent;
      let lo = 0;
      let hi = stays.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const stay = stays[mid] as Stay;
        if (at < stay.from) hi = mid - 1;
        else if (at >= stay.to) lo = mid + 1;
        else return stay.orgId;
      }
      return null;
    },
    /** The price period a day falls in: the latest effective date on or before it, or ''. */
    priceFrom(model: string, day: string): string {
      const froms = priceFroms.get(model);
      if (!froms) return '';
      let found = '';
      for (const from of froms) {
        if (from <= day) found = from;
        else break;
      }
      return found;
    },
  };
}

export type Attribution = ReturnType<typeof createAttribution>;

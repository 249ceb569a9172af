import type { Db } from '../engine';

export type OrgTerm = 'rate' | 'billing_mode' | 'usage_markup' | 'included_usage' | 'minimum';

/** One dated change of an org's term (org_terms): see migration 015 for what amount holds. */
export interface OrgTermRow {
  org_id: string;
  term: OrgTerm;
  effective_from: string;
  amount: number | null;
  mode: 'prorated' | 'full_month' | null;
  created_at: string;
}

export interface AgentRateRow {
  agent_id: string;
  effective_from: string;
  /** null: the org's rate from this day. */
  rate_micros: number | null;
  created_at: string;
}

export interface ModelMarkupRow {
  org_id: string;
  model: string;
  effective_from: string;
  /** Basis points; null: the org's usage markup from this day. */
  markup_bp: number | null;
  created_at: string;
}

/** The dated billing terms of orgs and agents, in date order (migration 015). */
export function createBillingTermsRepo(db: Db) {
  const orgTerms = db.prepare<[], OrgTermRow>(
    'SELECT * FROM org_terms ORDER BY org_id, term, effective_from',
  );
  const orgTermsOf = db.prepare<[string], OrgTermRow>(
    'SELECT * FROM org_terms WHERE org_id = ? ORDER BY term, effective_from',
  );
  const setOrgTerm = db.prepare<OrgTermRow>(
    `INSERT INTO org_terms (org_id, term, effective_from, amount, mode, created_at)
     VALUES (:org_id, :term, :effective_from, :amount, :mode, :created_at)
     ON CONFLICT (org_id, term, effective_from) DO UPDATE SET amount = excluded.amount, mode = excluded.mode`,
  );
  const agentRates = db.prepare<[], AgentRateRow>(
    'SELECT * FROM agent_rates ORDER BY agent_id, effective_from',
  );
  const agentRatesOf = db.prepare<[string], AgentRateRow>(
    'SELECT * FROM agent_rates WHERE agent_id = ? ORDER BY effective_from',
  );
  const setAgentRate = db.prepare<AgentRateRow>(
    `INSERT INTO agent_rates (agent_id, effective_from, rate_micros, created_at)
     VALUES (:agent_id, :effective_from, :rate_micros, :created_at)
     ON CONFLICT (agent_id, effective_from) DO UPDATE SET rate_micros = excluded.rate_micros`,
  );
  const markups = db.prepare<[], ModelMarkupRow>(
    'SELECT * FROM org_model_markups ORDER BY org_id, model, effective_from',
  );
  const markupsOf = db.prepare<[string], ModelMarkupRow>(
    'SELECT * FROM org_model_markups WHERE org_id = ? ORDER BY model, effective_from',
  );
  const setMarkup = db.prepare<ModelMarkupRow>(
    `INSERT INTO org_model_markups (org_id, model, effective_from, markup_bp, created_at)
     VALUES (:org_id, :model, :effective_from, :markup_bp, :created_at)
     ON CONFLICT (org_id, model, effective_from) DO UPDATE SET markup_bp = excluded.markup_bp`,
  );
  return {
    orgTerms: () => orgTerms.all(),
    orgTermsOf: (orgId: string) => orgTermsOf.all(orgId),
    /** Replaces the change of that term on that day, if there was one. */
    setOrgTerm: (row: OrgTermRow) => void setOrgTerm.run(row),
    agentRates: () => agentRates.all(),
    agentRatesOf: (agentId: string) => agentRatesOf.all(agentId),
    setAgentRate: (row: AgentRateRow) => void setAgentRate.run(row),
    markups: () => markups.all(),
    markupsOf: (orgId: string) => markupsOf.all(orgId),
    setMarkup: (row: ModelMarkupRow) => void setMarkup.run(row),
  };
}

export type BillingTermsRepo = ReturnType<typeof createBillingTermsRepo>;

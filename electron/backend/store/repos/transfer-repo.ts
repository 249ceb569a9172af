import type { Db } from '../database';
import type { OrgScope } from '../org-scope';
import type { AgentRow } from './agents-repo';
import type { AuditRow } from './audit-repo';
import type { DocRow } from './knowledge-repo';
import type { OrgRow } from './orgs-repo';
import type { DefaultsRow, PolicyRow, PolicyVersionRow } from './policies-repo';
import type { PriceRow } from './prices-repo';
import type { UserRow } from './users-repo';

export interface SpanRow {
  from_at: string;
  to_at: string | null;
}

export interface DailyUsageRow {
  model: string;
  day: string;
  agent_id: string;
  input_tokens: number;
  output_tokens: number;
  records: number;
}

/** Every row one org owns, as stored; read in one transaction so the parts agree. */
export interface OrgRows {
  org: OrgRow;
  inactivePeriods: SpanRow[];
  users: UserRow[];
  agents: AgentRow[];
  assignments: (SpanRow & { agent_id: string })[];
  policies: PolicyRow[];
  policyVersions: PolicyVersionRow[];
  policyDefaults: DefaultsRow | undefined;
  knowledge: DocRow[];
  usageDaily: DailyUsageRow[];
  prices: Omit<PriceRow, 'id'>[];
  audit: AuditRow[];
}

type OrgParam = { org: string };

/** The SQL of org export and import that no other repository has: whole-org reads and raw inserts. */
export function createTransferRepo(db: Db) {
  const org = db.prepare<OrgParam, OrgRow>('SELECT * FROM orgs WHERE id = :org');
  const inactive = db.prepare<OrgParam, SpanRow>(
    'SELECT from_at, to_at FROM org_inactive_periods WHERE org_id = :org ORDER BY from_at',
  );
  // Only a `user` belongs to its org: an owner's or admin's binding limits nothing and is the install's.
  const users = db.prepare<OrgParam, UserRow>(
    "SELECT * FROM users WHERE bound_org_id = :org AND role = 'user' ORDER BY created_at, id",
  );
  // Agents there now, and those that were (or have usage there), whose past months the org still bills.
  const agents = db.prepare<OrgParam, AgentRow>(
    `SELECT * FROM agents WHERE org_id = :org
       OR id IN (SELECT agent_id FROM agent_assignments WHERE org_id = :org)
       OR id IN (SELECT agent_id FROM usage_daily WHERE org_key = :org)
     ORDER BY created_at, id`,
  );
  const assignments = db.prepare<OrgParam, SpanRow & { agent_id: string }>(
    'SELECT agent_id, from_at, to_at FROM agent_assignments WHERE org_id = :org ORDER BY agent_id, from_at',
  );
  const policies = db.prepare<OrgParam, PolicyRow>(
    'SELECT * FROM policies WHERE org_id = :org ORDER BY created_at, id',
  );
  const policyVersions = db.prepare<OrgParam, PolicyVersionRow>(
    `SELECT v.* FROM policy_versions v JOIN policies p ON p.id = v.policy_id WHERE p.org_id = :org
     ORDER BY v.policy_id, v.version`,
  );
  const policyDefaults = db.prepare<OrgParam, DefaultsRow>(
    'SELECT default_decision, approval_timeout_minutes, require_description FROM policy_defaults WHERE org_id = :org',
  );
  const knowledge = db.prepare<OrgParam, DocRow>(
    'SELECT * FROM knowledge_docs WHERE org_id = :org ORDER BY created_at, id',
  );
  const usageDaily = db.prepare<OrgParam, DailyUsageRow>(
    `SELECT model, day, agent_id, input_tokens, output_tokens, records FROM usage_daily
     WHERE org_key = :org ORDER BY day, model, agent_id`,
  );
  const prices = db.prepare<OrgParam, Omit<PriceRow, 'id'>>(
    `SELECT model, effective_from, input_pico, output_pico, source, created_at FROM model_prices
     WHERE model IN (SELECT model FROM usage_daily WHERE org_key = :org) ORDER BY model, effective_from`,
  );
  const audit = db.prepare<OrgParam, AuditRow>('SELECT * FROM audit_events WHERE org_id = :org ORDER BY id');
  const readAll = db.transaction(
    (orgRow: OrgRow): OrgRows => ({
      org: orgRow,
      inactivePeriods: inactive.all({ org: orgRow.id }),
      users: users.all({ org: orgRow.id }),
      agents: agents.all({ org: orgRow.id }),
      assignments: assignments.all({ org: orgRow.id }),
      policies: policies.all({ org: orgRow.id }),
      policyVersions: policyVersions.all({ org: orgRow.id }),
      policyDefaults: policyDefaults.get({ org: orgRow.id }),
      knowledge: knowledge.all({ org: orgRow.id }),
      usageDaily: usageDaily.all({ org: orgRow.id }),
      prices: prices.all({ org: orgRow.id }),
      audit: audit.all({ org: orgRow.id }),
    }),
  );

  // Entries carried in by an import keep their original time, so they do not count as exports here.
  const lastExport = db.prepare<OrgParam, { at: string | null }>(
    `SELECT max(at) AS at FROM audit_events WHERE org_id = :org AND action = 'export.created'
       AND json_extract(summary, '$.imported') IS NULL`,
  );
  const priceExists = db.prepare<{ model: string; from: string }, { id: number }>(
    'SELECT id FROM model_prices WHERE model = :model AND effective_from = :from',
  );

  const insertAssignment = db.prepare<SpanRow & { agent_id: string; org_id: string }>(
    'INSERT INTO agent_assignments (agent_id, org_id, from_at, to_at) VALUES (:agent_id, :org_id, :from_at, :to_at)',
  );
  const insertInactive = db.prepare<SpanRow & { org_id: string }>(
    'INSERT INTO org_inactive_periods (org_id, from_at, to_at) VALUES (:org_id, :from_at, :to_at)',
  );
  const insertPolicy = db.prepare<PolicyRow>(
    `INSERT INTO policies (id, org_id, kind, version, created_at, updated_at)
     VALUES (:id, :org_id, :kind, :version, :created_at, :updated_at)`,
  );
  const insertPolicyVersion = db.prepare<PolicyVersionRow>(
    `INSERT INTO policy_versions (policy_id, version, name, description, config, enabled, change, at, actor_label)
     VALUES (:policy_id, :version, :name, :description, :config, :enabled, :change, :at, :actor_label)`,
  );
  const insertDaily = db.prepare<DailyUsageRow & { org_key: string }>(
    `INSERT INTO usage_daily (model, day, agent_id, org_key, input_tokens, output_tokens, records)
     VALUES (:model, :day, :agent_id, :org_key, :input_tokens, :output_tokens, :records)`,
  );
  // The org's monthly sums, bucketed by this install's price periods (as usage-repo's rebuild does per model).
  const rebuildMonthly = db.prepare<{ org_key: string }>(
    `INSERT INTO usage_monthly (month, org_key, agent_id, model, price_from, input_tokens, output_tokens, records)
     SELECT substr(d.day, 1, 7), d.org_key, d.agent_id, d.model,
            ifnull((SELECT max(p.effective_from) FROM model_prices p WHERE p.model = d.model AND p.effective_from <= d.day), ''),
            sum(d.input_tokens), sum(d.output_tokens), sum(d.records)
     FROM usage_daily d WHERE d.org_key = :org_key
     GROUP BY 1, 2, 3, 4, 5`,
  );
  const addPrice = db.prepare<Omit<PriceRow, 'id'>>(
    `INSERT INTO model_prices (model, effective_from, input_pico, output_pico, source, created_at)
     VALUES (:model, :effective_from, :input_pico, :output_pico, :source, :created_at)
     ON CONFLICT (model, effective_from) DO NOTHING`,
  );

  return {
    /** Everything the org owns, if the scope may see it; undefined otherwise. */
    orgRows(scope: OrgScope, orgId: string): OrgRows | undefined {
      if (!scope.allows(orgId)) return undefined;
      const row = org.get({ org: orgId });
      return row ? readAll(row) : undefined;
    },
    lastExportAt: (orgId: string) => lastExport.get({ org: orgId })?.at ?? null,
    hasPrice: (model: string, from: string) => priceExists.get({ model, from }) !== undefined,
    insertAssignment: (row: SpanRow & { agent_id: string; org_id: string }) => void insertAssignment.run(row),
    insertInactive: (row: SpanRow & { org_id: string }) => void insertInactive.run(row),
    insertPolicy: (row: PolicyRow) => void insertPolicy.run(row),
    insertPolicyVersion: (row: PolicyVersionRow) => void insertPolicyVersion.run(row),
    insertDaily: (row: DailyUsageRow & { org_key: string }) => void insertDaily.run(row),
    rebuildMonthly: (orgKey: string) => void rebuildMonthly.run({ org_key: orgKey }),
    /** Adds a price this install lacks; an existing one is never overwritten. True when added. */
    addPriceIfMissing: (row: Omit<PriceRow, 'id'>) => addPrice.run(row).changes > 0,
  };
}

export type TransferRepo = ReturnType<typeof createTransferRepo>;

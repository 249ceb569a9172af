import type { MembershipRole } from '../../../../shared/domain/permissions';
import { type Db, onPostgres } from '../engine';
import type { OrgScope } from '../org-scope';
import type { AgentRow } from './agents-repo';
import type { AuditRow } from './audit-repo';
import type { AgentRateRow, ModelMarkupRow, OrgTermRow } from './billing-terms-repo';
import { dayNumbersOn } from './day-numbers';
import type { DocRow } from './knowledge-repo';
import type { OrgRow } from './orgs-repo';
import {
  type DefaultsRow,
  type PolicyRow,
  type PolicyVersionRow,
  prepareAddPolicyVersion,
} from './policies-repo';
import type { NewRate, PriceRow } from './prices-repo';
import type { DailyUsageRow } from './usage-repo';
import type { UserRow } from './users-repo';

export type MemberUserRow = UserRow & { membership_role: MembershipRole };

export interface SpanRow {
  from_at: string;
  to_at: string | null;
}

/** Every row one org owns, as stored; read in one transaction so the parts agree. */
export interface OrgRows {
  org: OrgRow;
  inactivePeriods: SpanRow[];
  users: MemberUserRow[];
  agents: AgentRow[];
  assignments: (SpanRow & { agent_id: string })[];
  policies: PolicyRow[];
  policyVersions: PolicyVersionRow[];
  /** The org's dated billing terms, its model markups, and its agents' dated rates. */
  terms: OrgTermRow[];
  modelMarkups: ModelMarkupRow[];
  agentRates: AgentRateRow[];
  /** The months closed for the org, here or at an install it was moved from. */
  closedMonths: ClosedMonthRow[];
  policyDefaults: DefaultsRow | undefined;
  knowledge: DocRow[];
  usageDaily: DailyUsageRow[];
  prices: ArchivedPrice[];
  audit: AuditRow[];
}

/** A month closed for an org: billed on statement `statement_number`, or (NULL) with nothing to bill. */
export interface ClosedMonthRow {
  month: string;
  closed_at: string;
  statement_number: string | null;
}

/** A price period with its other rates (categories, tiers, bands). */
export type ArchivedPrice = Omit<PriceRow, 'id'> & { rates: NewRate[] };

type OrgParam = { org: string };

/** The usage tables' integer name of org :org (NULL, matching nothing, when it has no usage). */
const ORG_REF = "(SELECT id FROM usage_refs WHERE kind = 'org' AND name = :org)";

/** The SQL of org export and import that no other repository has: whole-org reads and raw inserts. */
/** The JSON the export builds in SQL, spelled for each engine. */
const SQLITE_JSON = {
  rates: "json_group_array(json_object('category', category, 'tier', tier, 'above', above, 'pico', pico))",
  notImported: "json_extract(summary, '$.imported') IS NULL",
  fromSlug: "json_extract(e.summary, '$.after.from.slug')",
  fromExportedAt: "json_extract(e.summary, '$.after.from.exportedAt')",
};
const POSTGRES_JSON = {
  rates: `coalesce(json_agg(json_build_object('category', category, 'tier', tier, 'above', above, 'pico', pico)),
                  '[]')::text`,
  notImported: "summary::jsonb -> 'imported' IS NULL",
  fromSlug: "e.summary::jsonb #>> '{after,from,slug}'",
  fromExportedAt: "e.summary::jsonb #>> '{after,from,exportedAt}'",
};

/** An import of an archive here: when, and the org it made while that org is still here. */
export interface EarlierImport {
  /** The audit entry that recorded it. */
  entry: number;
  at: string;
  org_id: string | null;
  org_name: string | null;
  org_slug: string | null;
  org_deleted_at: string | null;
}

export function createTransferRepo(db: Db) {
  const days = dayNumbersOn(db);
  const json = onPostgres(db) ? POSTGRES_JSON : SQLITE_JSON;
  const org = db.prepare<OrgParam, OrgRow>('SELECT * FROM orgs WHERE id = :org');
  const inactive = db.prepare<OrgParam, SpanRow>(
    'SELECT from_at, to_at FROM org_inactive_periods WHERE org_id = :org ORDER BY from_at',
  );
  // The org's members, with their role there; console roles belong to the install, not to the org.
  const users = db.prepare<OrgParam, MemberUserRow>(
    `SELECT users.*, memberships.role AS membership_role FROM users
     JOIN memberships ON memberships.user_id = users.id AND memberships.org_id = :org
     WHERE users.role = 'user' ORDER BY users.created_at, users.id`,
  );
  // Agents there now, and those that were (or have usage there), whose past months the org still bills.
  const agents = db.prepare<OrgParam, AgentRow>(
    `SELECT * FROM agents WHERE org_id = :org
       OR id IN (SELECT agent_id FROM agent_assignments WHERE org_id = :org)
       OR id IN (SELECT a.name FROM usage_months u JOIN usage_refs a ON a.id = u.agent WHERE u.org = ${ORG_REF})
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
  // One row per model, day, agent, tier and band: an import batch may have added several. A group
  // that sums to nothing is left out: a provider re-export that moved a bucket to another agent took
  // its counts back with a row of negative ones, and an archive's day holds at least one record.
  const usageDaily = db.prepare<OrgParam, DailyUsageRow>(
    `SELECT m.name AS model, ${days.dateOf('d.day')} AS day, a.name AS agent_id, d.tier, d.band,
       sum(d.input_tokens) AS input_tokens, sum(d.output_tokens) AS output_tokens,
       sum(d.cache_read_tokens) AS cache_read_tokens, sum(d.cache_write_tokens) AS cache_write_tokens,
       sum(d.cache_write_1h_tokens) AS cache_write_1h_tokens, sum(d.reasoning_tokens) AS reasoning_tokens,
       sum(d.records) AS records
     FROM usage_days d JOIN usage_refs m ON m.id = d.model JOIN usage_refs a ON a.id = d.agent
     WHERE d.org = ${ORG_REF} GROUP BY d.day, d.model, m.name, d.agent, a.name, d.tier, d.band
     HAVING sum(d.records) <> 0 OR sum(d.input_tokens) <> 0 OR sum(d.output_tokens) <> 0
       OR sum(d.cache_read_tokens) <> 0 OR sum(d.cache_write_tokens) <> 0
       OR sum(d.cache_write_1h_tokens) <> 0 OR sum(d.reasoning_tokens) <> 0
     ORDER BY day, model, agent_id, d.tier, d.band`,
  );
  const prices = db.prepare<OrgParam, Omit<PriceRow, 'id'> & { rates: string }>(
    `SELECT model, effective_from, input_pico, output_pico, source, created_at,
       (SELECT ${json.rates}
        FROM model_price_rates WHERE price = model_prices.id) AS rates
     FROM model_prices
     WHERE model IN (SELECT m.name FROM usage_org_months u JOIN usage_refs m ON m.id = u.model WHERE u.org = ${ORG_REF})
     ORDER BY model, effective_from`,
  );
  const terms = db.prepare<OrgParam, OrgTermRow>(
    'SELECT * FROM org_terms WHERE org_id = :org ORDER BY term, effective_from',
  );
  const modelMarkups = db.prepare<OrgParam, ModelMarkupRow>(
    'SELECT * FROM org_model_markups WHERE org_id = :org ORDER BY model, effective_from',
  );
  const agentRates = db.prepare<{ ids: string }, AgentRateRow>(
    `SELECT * FROM agent_rates WHERE agent_id IN (SELECT value FROM json_each(:ids))
     ORDER BY agent_id, effective_from`,
  );
  // A month closed at an install the org came from was refused here (statements-service), so each
  // month is in one of the three at most.
  const closedMonths = db.prepare<OrgParam, ClosedMonthRow>(
    `SELECT month, issued_at AS closed_at, number AS statement_number FROM statements
       WHERE org_id = :org AND kind = 'statement' AND voided_by IS NULL
     UNION ALL SELECT month, closed_at, NULL FROM months_closed_without_statement WHERE org_id = :org
     UNION ALL SELECT month, closed_at, statement_number FROM months_closed_at_source WHERE org_id = :org
     ORDER BY month`,
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
      terms: terms.all({ org: orgRow.id }),
      modelMarkups: modelMarkups.all({ org: orgRow.id }),
      agentRates: agentRates.all({
        ids: JSON.stringify(agents.all({ org: orgRow.id }).map((agent) => agent.id)),
      }),
      closedMonths: closedMonths.all({ org: orgRow.id }),
      policyDefaults: policyDefaults.get({ org: orgRow.id }),
      knowledge: knowledge.all({ org: orgRow.id }),
      usageDaily: usageDaily.all({ org: orgRow.id }),
      prices: prices
        .all({ org: orgRow.id })
        .map((price) => ({ ...price, rates: JSON.parse(price.rates) as NewRate[] })),
      audit: audit.all({ org: orgRow.id }),
    }),
  );

  // The imports recorded here (not those an archive's trail brought along) of the archive an org
  // with this slug was exported as at this time.
  const earlierImports = db.prepare<{ slug: string; exportedAt: string }, EarlierImport>(
    `SELECT e.id AS entry, e.at, o.id AS org_id, o.name AS org_name, o.slug AS org_slug, o.deleted_at AS org_deleted_at
     FROM audit_events e LEFT JOIN orgs o ON o.id = e.org_id
     WHERE e.action = 'import.applied' AND ${json.notImported}
       AND ${json.fromSlug} = :slug AND ${json.fromExportedAt} = :exportedAt
     ORDER BY e.id`,
  );

  // Entries carried in by an import keep their original time, so they do not count as exports here.
  const lastExport = db.prepare<OrgParam, { at: string | null }>(
    `SELECT max(at) AS at FROM audit_events WHERE org_id = :org AND action = 'export.created'
       AND ${json.notImported}`,
  );
  const modelPriced = db.prepare<{ model: string }, { id: number }>(
    'SELECT id FROM model_prices WHERE model = :model LIMIT 1',
  );

  const insertAssignment = db.prepare<SpanRow & { agent_id: string; org_id: string }>(
    'INSERT INTO agent_assignments (agent_id, org_id, from_at, to_at) VALUES (:agent_id, :org_id, :from_at, :to_at)',
  );
  const insertClosedMonth = db.prepare<ClosedMonthRow & { org_id: string }>(
    `INSERT INTO months_closed_at_source (org_id, month, closed_at, statement_number)
     VALUES (:org_id, :month, :closed_at, :statement_number)`,
  );
  const insertInactive = db.prepare<SpanRow & { org_id: string }>(
    'INSERT INTO org_inactive_periods (org_id, from_at, to_at) VALUES (:org_id, :from_at, :to_at)',
  );
  const insertPolicy = db.prepare<PolicyRow>(
    `INSERT INTO policies (id, org_id, kind, version, created_at, updated_at)
     VALUES (:id, :org_id, :kind, :version, :created_at, :updated_at)`,
  );
  const insertPolicyVersion = prepareAddPolicyVersion(db);
  const addPrice = db.prepare<Omit<PriceRow, 'id'>>(
    `INSERT INTO model_prices (model, effective_from, input_pico, output_pico, source, created_at)
     VALUES (:model, :effective_from, :input_pico, :output_pico, :source, :created_at)
     ON CONFLICT (model, effective_from) DO NOTHING`,
  );
  const addRate = db.prepare<NewRate & { model: string; effective_from: string }>(
    `INSERT INTO model_price_rates (price, category, tier, above, pico)
     VALUES ((SELECT id FROM model_prices WHERE model = :model AND effective_from = :effective_from),
       :category, :tier, :above, :pico)`,
  );

  return {
    /** Everything the org owns, if the scope may see it; undefined otherwise. */
    orgRows(scope: OrgScope, orgId: string): OrgRows | undefined {
      if (!scope.allows(orgId)) return undefined;
      const row = org.get({ org: orgId });
      return row ? readAll(row) : undefined;
    },
    lastExportAt: (orgId: string) => lastExport.get({ org: orgId })?.at ?? null,
    /** Whether this install has any price for `model`. */
    modelPriced: (model: string) => modelPriced.get({ model }) !== undefined,
    /** When the archive of org `slug` exported at `exportedAt` was imported here before, oldest first. */
    earlierImports: (slug: string, exportedAt: string) => earlierImports.all({ slug, exportedAt }),
    insertAssignment: (row: SpanRow & { agent_id: string; org_id: string }) => void insertAssignment.run(row),
    insertInactive: (row: SpanRow & { org_id: string }) => void insertInactive.run(row),
    /** A month the install the org came from had closed for it. */
    insertClosedMonth: (row: ClosedMonthRow & { org_id: string }) => void insertClosedMonth.run(row),
    insertPolicy: (row: PolicyRow) => void insertPolicy.run(row),
    insertPolicyVersion: (row: PolicyVersionRow) => void insertPolicyVersion.run(row),
    /** Adds a price period this install lacks; an existing one is never overwritten. True when added. */
    addPriceIfMissing({ rates, ...row }: ArchivedPrice): boolean {
      if (addPrice.run(row).changes === 0) return false;
      for (const rate of rates)
        addRate.run({ ...rate, model: row.model, effective_from: row.effective_from });
      return true;
    },
  };
}

export type TransferRepo = ReturnType<typeof createTransferRepo>;

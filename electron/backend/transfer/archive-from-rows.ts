import type { PolicyConfig } from '../../../shared/contract/policies';
import { DAY_MS } from '../../../shared/domain/days';
import type { Page } from '../../../shared/domain/permissions';
import { TIERS } from '../../../shared/domain/token-pricing';
import { MIGRATIONS } from '../store/migrations';
import type { AgentRow } from '../store/repos/agents-repo';
import type { OrgRows } from '../store/repos/transfer-repo';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type OrgArchive } from './org-archive';

/**
 * Where a stay's fees may take their rate from: a full month bills the rate of the month's first day
 * even when the stay starts later, and that day, in the org's zone, may fall on the UTC day before
 * the first. So: a day before the first of the UTC month of the day before the stay (a rate too many
 * taken along changes no fee).
 */
function billedFrom(stayFrom: string): number {
  const dayBefore = new Date(Date.parse(stayFrom) - DAY_MS);
  return Date.UTC(dayBefore.getUTCFullYear(), dayBefore.getUTCMonth(), 1) - DAY_MS;
}

/**
 * The agent rates the org bills by: each agent's rates in effect at some time of its stays with the
 * org, or on the first of a month it bills in full. A rate an agent had only while it served another org (set after it moved on) is that org's
 * business, and bills nothing here; left out, the rate before it runs on in the archive through a
 * time the org has no stay to bill.
 */
function ratesOfStays(rows: OrgRows): OrgRows['agentRates'] {
  const stays = new Map<string, { from: number; to: number }[]>();
  for (const stay of rows.assignments) {
    const span = {
      from: billedFrom(stay.from_at),
      to: stay.to_at === null ? Infinity : Date.parse(stay.to_at),
    };
    stays.set(stay.agent_id, [...(stays.get(stay.agent_id) ?? []), span]);
  }
  // Rates come ordered by agent, then day: each runs until the agent's next one.
  return rows.agentRates.filter((rate, index) => {
    const next = rows.agentRates[index + 1];
    const from = Date.parse(`${rate.effective_from}T00:00:00Z`);
    const until =
      next?.agent_id === rate.agent_id ? Date.parse(`${next.effective_from}T00:00:00Z`) : Infinity;
    return (stays.get(rate.agent_id) ?? []).some((stay) => from < stay.to && until > stay.from);
  });
}

/** What the archive says of an agent that serves the org now. */
const detailsOf = (agent: AgentRow) => ({
  name: agent.name,
  email: agent.email,
  model: agent.model,
  status: agent.status,
  description: agent.description,
  updatedAt: agent.updated_at,
  deletedAt: agent.deleted_at,
});

/**
 * What it says of one that no longer does: it is there for the org's past months, billed by its
 * handle and its rates of its stays. Its name, email, model, status and description now are those
 * another org (or nobody) gave it since, and that org's business: the archive names it by its
 * handle, and the import deletes it as of its last stay's end.
 */
const formerDetailsOf = (agent: AgentRow) => ({
  name: agent.handle,
  email: '',
  model: '',
  status: 'stopped' as const,
  description: '',
  updatedAt: agent.created_at,
  deletedAt: null,
});

/**
 * The agents' rates before their first dated change (agents.rate_micros) that the org's stays may
 * bill: one whose archived change applies from the first day its stays may bill on is the org's
 * business no more than the rates ratesOfStays leaves out (it may be the rate the agent was given
 * for another org before it came), so the archive carries none.
 */
function baseRatesBilled(rows: OrgRows, rates: OrgRows['agentRates']): Map<string, number | null> {
  const firstBilled = new Map<string, number>();
  for (const stay of rows.assignments) {
    const from = billedFrom(stay.from_at);
    firstBilled.set(stay.agent_id, Math.min(from, firstBilled.get(stay.agent_id) ?? from));
  }
  const firstChange = new Map<string, number>();
  for (const rate of rates)
    if (!firstChange.has(rate.agent_id))
      firstChange.set(rate.agent_id, Date.parse(`${rate.effective_from}T00:00:00Z`));
  return new Map(
    rows.agents.map((agent) => {
      const billed = firstBilled.get(agent.id);
      const changed = firstChange.get(agent.id);
      const billsBase = billed !== undefined && (changed === undefined || changed > billed);
      return [agent.id, billsBase ? agent.rate_micros : null];
    }),
  );
}

/** The archive of one org's rows. Password hashes and sessions are never part of it. */
export function archiveFromRows(rows: OrgRows, exportedAt: string): OrgArchive {
  const { org } = rows;
  const rates = ratesOfStays(rows);
  const baseRates = baseRatesBilled(rows, rates);
  const open = new Set(rows.assignments.filter((stay) => stay.to_at === null).map((stay) => stay.agent_id));
  const versions = new Map<string, OrgRows['policyVersions']>();
  for (const version of rows.policyVersions)
    versions.set(version.policy_id, [...(versions.get(version.policy_id) ?? []), version]);
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt,
    source: { app: 'orgdeck', schemaVersion: MIGRATIONS.length },
    org: {
      id: org.id,
      slug: org.slug,
      name: org.name,
      timezone: org.timezone,
      rateMicros: org.rate_micros,
      billingMode: org.billing_mode,
      contactName: org.contact_name,
      contactEmail: org.contact_email,
      description: org.description,
      budgetMicros: org.budget_micros,
      active: org.active === 1,
      createdAt: org.created_at,
      updatedAt: org.updated_at,
    },
    inactivePeriods: rows.inactivePeriods.map((span) => ({ from: span.from_at, to: span.to_at })),
    users: rows.users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      pages: JSON.parse(user.pages) as Page[],
      role: user.membership_role,
      disabled: user.disabled === 1,
      createdAt: user.created_at,
      updatedAt: user.updated_at,
    })),
    agents: rows.agents.map((agent) => ({
      id: agent.id,
      handle: agent.handle,
      rateMicros: baseRates.get(agent.id) ?? null,
      current: open.has(agent.id),
      createdAt: agent.created_at,
      ...(open.has(agent.id) ? detailsOf(agent) : formerDetailsOf(agent)),
    })),
    terms: rows.terms.map((term) => ({
      term: term.term,
      from: term.effective_from,
      amount: term.amount,
      mode: term.mode,
    })),
    modelMarkups: rows.modelMarkups.map((markup) => ({
      model: markup.model,
      from: markup.effective_from,
      markupBp: markup.markup_bp,
    })),
    agentRates: rates.map((rate) => ({
      agentId: rate.agent_id,
      from: rate.effective_from,
      rateMicros: rate.rate_micros,
    })),
    closedMonths: rows.closedMonths.map((closed) => ({
      month: closed.month,
      closedAt: closed.closed_at,
      statement: closed.statement_number,
    })),
    assignments: rows.assignments.map((stay) => ({
      agentId: stay.agent_id,
      from: stay.from_at,
      to: stay.to_at,
    })),
    policies: rows.policies.map((policy) => ({
      id: policy.id,
      // Written by policies-service from a validated config's kind.
      kind: policy.kind as PolicyConfig['kind'],
      version: policy.version,
      createdAt: policy.created_at,
      updatedAt: policy.updated_at,
      versions: (versions.get(policy.id) ?? []).map((version) => ({
        version: version.version,
        name: version.name,
        description: version.description,
        config: JSON.parse(version.config) as PolicyConfig,
        enabled: version.enabled === 1,
        change: version.change,
        at: version.at,
        actorLabel: version.actor_label,
      })),
    })),
    policyDefaults: rows.policyDefaults
      ? {
          defaultDecision: rows.policyDefaults.default_decision,
          approvalTimeoutMinutes: rows.policyDefaults.approval_timeout_minutes,
          requireDescription: rows.policyDefaults.require_description === 1,
        }
      : null,
    knowledge: rows.knowledge.map((doc) => ({
      id: doc.id,
      title: doc.title,
      body: doc.body,
      sourceName: doc.source_name,
      tags: JSON.parse(doc.tags) as string[],
      size: doc.size,
      authorId: doc.author_id,
      authorLabel: doc.author_label,
      createdAt: doc.created_at,
      updatedAt: doc.updated_at,
    })),
    usageDaily: rows.usageDaily.map((row) => ({
      model: row.model,
      day: row.day,
      agentId: row.agent_id,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheReadTokens: row.cache_read_tokens,
      cacheWriteTokens: row.cache_write_tokens,
      cacheWrite1hTokens: row.cache_write_1h_tokens,
      reasoningTokens: row.reasoning_tokens,
      tier: TIERS[row.tier] ?? 'standard',
      band: row.band,
      records: row.records,
    })),
    prices: rows.prices.map((price) => ({
      model: price.model,
      effectiveFrom: price.effective_from,
      inputPico: price.input_pico,
      outputPico: price.output_pico,
      rates: price.rates,
      source: price.source,
      createdAt: price.created_at,
    })),
    audit: rows.audit.map((entry) => ({
      id: entry.id,
      at: entry.at,
      actorId: entry.actor_id,
      actorLabel: entry.actor_label,
      action: entry.action,
      targetType: entry.target_type,
      targetId: entry.target_id,
      summary: JSON.parse(entry.summary) as Record<string, unknown>,
    })),
  };
}

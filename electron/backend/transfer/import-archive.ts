import { randomUUID } from 'node:crypto';
import type { ImportCounts } from '../../../shared/contract/transfer';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../shared/domain/forecast';
import { HANDLE_MAX } from '../../../shared/domain/handle';
import { SLUG_MAX } from '../../../shared/domain/slug';
import { TIERS } from '../../../shared/domain/token-pricing';
import { NO_SECOND_FACTOR } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import {
  type ArchiveRecord,
  countsOfHead,
  readArchiveRecords,
  type ScannedArchive,
  STREAMED_SECTIONS,
} from './archive-reader';
import type { OrgArchive } from './org-archive';

/**
 * What imported users get instead of a password hash: no password verifies against it (it is not
 * an scrypt hash), so each needs a password reset before signing in.
 */
export const NO_PASSWORD = '!imported-reset-required';

export interface ImportPlan {
  slug: { taken: boolean; takenBy: string | null; suggestion: string };
  /** Archive agent id → the handle it gets here, for the current agents whose handle is taken. */
  handles: Map<string, string>;
  renamedHandles: { handle: string; importedAs: string }[];
  skippedUsers: { email: string; name: string }[];
  pricesToAdd: number;
  counts: ImportCounts;
}

/** `base`, else `base-2`, `base-3`…, cut to `max` characters, that `taken` does not refuse. */
function freeName(base: string, max: number, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = `${base.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken(name)) return name;
  }
}

/** The counts of a whole archive (an export's), as a preview counts the file it reads. */
export function countsOf(archive: OrgArchive): ImportCounts {
  return countsOfHead(archive, {
    policies: archive.policies.length,
    policyVersions: archive.policies.reduce((sum, policy) => sum + policy.versions.length, 0),
    knowledge: archive.knowledge.length,
    usageRows: archive.usageDaily.length,
    prices: archive.prices.length,
    auditEntries: archive.audit.length,
  });
}

/** What importing the archive into this store would do, as the store is now. */
export function planImport(store: Store, scanned: ScannedArchive): ImportPlan {
  const archive = scanned.head;
  const takenBy = store.orgs.nameOfSlug(archive.org.slug) ?? null;
  const used = new Set<string>();
  const handles = new Map<string, string>();
  const renamedHandles: ImportPlan['renamedHandles'] = [];
  // Former agents come in deleted, and deleted agents hold no handle: only current ones can clash.
  for (const agent of archive.agents.filter((a) => a.current)) {
    const handle = freeName(
      agent.handle,
      HANDLE_MAX,
      (name) => used.has(name) || store.agents.nameOfHandle(name) !== undefined,
    );
    used.add(handle);
    if (handle !== agent.handle) {
      handles.set(agent.id, handle);
      renamedHandles.push({ handle: agent.handle, importedAs: handle });
    }
  }
  return {
    slug: {
      taken: takenBy !== null,
      takenBy,
      suggestion: freeName(archive.org.slug, SLUG_MAX, (slug) => store.orgs.nameOfSlug(slug) !== undefined),
    },
    handles,
    renamedHandles,
    skippedUsers: archive.users
      .filter((user) => store.users.byEmail(user.email) !== undefined)
      .map((user) => ({ email: user.email, name: user.name })),
    pricesToAdd: scanned.prices.filter((price) => !store.transfer.hasPrice(price.model, price.effectiveFrom))
      .length,
    counts: scanned.counts,
  };
}

/**
 * Writes the archive a preview scanned, from its file at `path`, as a new org with fresh ids: the
 * held sections first, then each streamed record as it is read again (the audit trail last, in a
 * second reading when the file lists it before the sections its entries name). Call inside one
 * transaction: any failure leaves nothing behind. Returns the new org's id and how many prices
 * were added.
 */
export function writeArchive(
  store: Store,
  path: string,
  scanned: ScannedArchive,
  plan: ImportPlan,
  slug: string,
  now: string,
): { orgId: string; pricesAdded: number } {
  const archive = scanned.head;
  const orgId = randomUUID();
  const ids = new Map<string, string>([[archive.org.id, orgId]]);
  const fresh = (oldId: string) => {
    const id = randomUUID();
    ids.set(oldId, id);
    return id;
  };
  const { org } = archive;
  store.orgs.insert({
    id: orgId,
    slug,
    name: org.name,
    is_owner: 0,
    timezone: org.timezone,
    rate_micros: org.rateMicros,
    billing_mode: org.billingMode,
    contact_name: org.contactName,
    contact_email: org.contactEmail,
    description: org.description,
    budget_micros: org.budgetMicros,
    // Archives carry no alert thresholds: the org starts with the default ones.
    alert_thresholds: JSON.stringify(DEFAULT_ALERT_THRESHOLDS),
    active: org.active ? 1 : 0,
    deleted_at: null,
    created_at: org.createdAt,
    updated_at: org.updatedAt,
  });
  for (const span of archive.inactivePeriods)
    store.transfer.insertInactive({ org_id: orgId, from_at: span.from, to_at: span.to });

  const skipped = new Set(plan.skippedUsers.map((user) => user.email.toLowerCase()));
  for (const user of archive.users.filter((u) => !skipped.has(u.email.toLowerCase()))) {
    const userId = fresh(user.id);
    store.users.insert({
      id: userId,
      email: user.email,
      name: user.name,
      role: 'user',
      password_hash: NO_PASSWORD,
      pages: JSON.stringify(user.pages),
      all_client_orgs_role: null,
      ...NO_SECOND_FACTOR,
      disabled: user.disabled ? 1 : 0,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
    });
    store.memberships.put({
      user_id: userId,
      org_id: orgId,
      role: user.role ?? 'member',
      created_at: user.updatedAt,
    });
  }

  const lastEnd = new Map<string, string>();
  for (const stay of archive.assignments) {
    const end = stay.to ?? '';
    if (end > (lastEnd.get(stay.agentId) ?? '')) lastEnd.set(stay.agentId, end);
  }
  for (const agent of archive.agents) {
    store.agents.insert({
      id: fresh(agent.id),
      handle: plan.handles.get(agent.id) ?? agent.handle,
      name: agent.name,
      email: agent.email,
      model: agent.model,
      status: agent.status,
      description: agent.description,
      rate_micros: agent.rateMicros,
      org_id: agent.current ? orgId : null,
      created_at: agent.createdAt,
      updated_at: agent.updatedAt,
      // Former agents are kept for the org's past months only: deleted here, they clash with no one.
      deleted_at: agent.current ? null : (agent.deletedAt ?? lastEnd.get(agent.id) ?? now),
    });
  }
  const idOf = (oldId: string) => ids.get(oldId) as string;
  for (const term of archive.terms)
    store.billingTerms.setOrgTerm({
      org_id: orgId,
      term: term.term,
      effective_from: term.from,
      amount: term.amount,
      mode: term.mode,
      created_at: now,
    });
  for (const markup of archive.modelMarkups)
    store.billingTerms.setMarkup({
      org_id: orgId,
      model: markup.model,
      effective_from: markup.from,
      markup_bp: markup.markupBp,
      created_at: now,
    });
  for (const rate of archive.agentRates)
    if (ids.has(rate.agentId))
      store.billingTerms.setAgentRate({
        agent_id: idOf(rate.agentId),
        effective_from: rate.from,
        rate_micros: rate.rateMicros,
        created_at: now,
      });
  for (const stay of archive.assignments) {
    store.transfer.insertAssignment({
      agent_id: idOf(stay.agentId),
      org_id: orgId,
      from_at: stay.from,
      to_at: stay.to,
    });
  }

  if (archive.policyDefaults) {
    const defaults = archive.policyDefaults;
    store.policies.saveDefaults(orgId, {
      default_decision: defaults.defaultDecision,
      approval_timeout_minutes: defaults.approvalTimeoutMinutes,
      require_description: defaults.requireDescription ? 1 : 0,
    });
  }

  const days = store.usage.orgDays(orgId);
  let pricesAdded = 0;
  const write = (record: ArchiveRecord) => {
    switch (record.section) {
      case 'policies': {
        const policy = record.value;
        const policyId = fresh(policy.id);
        store.transfer.insertPolicy({
          id: policyId,
          org_id: orgId,
          kind: policy.kind,
          version: policy.version,
          created_at: policy.createdAt,
          updated_at: policy.updatedAt,
        });
        for (const version of policy.versions) {
          store.transfer.insertPolicyVersion({
            policy_id: policyId,
            version: version.version,
            name: version.name,
            description: version.description,
            config: JSON.stringify(version.config),
            enabled: version.enabled ? 1 : 0,
            change: version.change,
            at: version.at,
            actor_label: version.actorLabel,
          });
        }
        return;
      }
      case 'knowledge': {
        const doc = record.value;
        const docId = fresh(doc.id);
        const row = {
          id: docId,
          org_id: orgId,
          title: doc.title,
          body: doc.body,
          source_name: doc.sourceName,
          tags: JSON.stringify(doc.tags),
          size: doc.size,
          author_id: doc.authorId ? (ids.get(doc.authorId) ?? null) : null,
          author_label: doc.authorLabel,
          // Only owner-org documents are shared, and an imported org is never the owner org.
          shared_with_all: 0 as const,
          created_at: doc.createdAt,
          updated_at: doc.updatedAt,
        };
        store.knowledge.insert(row);
        store.knowledge.index(row);
        return;
      }
      case 'prices': {
        const price = record.value;
        const added = store.transfer.addPriceIfMissing({
          model: price.model,
          effective_from: price.effectiveFrom,
          input_pico: price.inputPico,
          output_pico: price.outputPico,
          source: price.source,
          created_at: price.createdAt,
          rates: price.rates,
        });
        if (added) pricesAdded++;
        return;
      }
      case 'usageDaily': {
        const row = record.value;
        days.add({
          model: row.model,
          day: row.day,
          agent_id: idOf(row.agentId),
          input_tokens: row.inputTokens,
          output_tokens: row.outputTokens,
          cache_read_tokens: row.cacheReadTokens,
          cache_write_tokens: row.cacheWriteTokens,
          cache_write_1h_tokens: row.cacheWrite1hTokens,
          reasoning_tokens: row.reasoningTokens,
          tier: TIERS.indexOf(row.tier),
          band: row.band,
          records: row.records,
        });
        return;
      }
      case 'audit': {
        // The org's trail comes along as it was (time, actor, action, summary), appended to this
        // install's hash chain in its original order, each entry marked with where it came from:
        // whatever the file says under `imported`, so no entry can pass for one written here.
        const entry = record.value;
        store.audit.insert({
          at: entry.at,
          actor_id: entry.actorId ? (ids.get(entry.actorId) ?? null) : null,
          actor_label: entry.actorLabel,
          org_id: orgId,
          action: entry.action,
          target_type: entry.targetType,
          target_id: ids.get(entry.targetId) ?? entry.targetId,
          summary: JSON.stringify({
            ...entry.summary,
            imported: { entry: entry.id, exportedAt: archive.exportedAt },
          }),
        });
        return;
      }
    }
  };
  if (scanned.auditLast) readArchiveRecords(path, scanned, new Set(STREAMED_SECTIONS), write);
  else {
    readArchiveRecords(
      path,
      scanned,
      new Set(STREAMED_SECTIONS.filter((section) => section !== 'audit')),
      write,
    );
    readArchiveRecords(path, scanned, new Set(['audit'] as const), write);
  }
  days.finish();
  return { orgId, pricesAdded };
}

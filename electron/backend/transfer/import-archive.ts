import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/envelope';
import type { ImportCounts, ImportPreview } from '../../../shared/contract/transfer';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../shared/domain/forecast';
import { HANDLE_MAX } from '../../../shared/domain/handle';
import { SLUG_MAX } from '../../../shared/domain/slug';
import { TIERS } from '../../../shared/domain/token-pricing';
import type { ArchivedPrice } from '../store/repos/transfer-repo';
import type { DailyUsageRow } from '../store/repos/usage-repo';
import { NO_SECOND_FACTOR } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import {
  type ArchiveRecord,
  countsOfHead,
  readArchiveRecords,
  readArchiveRecordsInTurns,
  type ScannedArchive,
  STREAMED_SECTIONS,
  type StreamedSection,
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
  importedBefore: ImportPreview['importedBefore'];
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
      (name) => used.has(name) || store.agents.handleInUse(name),
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
    pricesToAdd: scanned.prices.filter((price) => !store.transfer.modelPriced(price.model)).length,
    counts: scanned.counts,
    importedBefore: store.transfer.earlierImports(archive.org.slug, archive.exportedAt).map((earlier) => ({
      entry: earlier.entry,
      at: earlier.at,
      org:
        earlier.org_id === null
          ? null
          : {
              id: earlier.org_id,
              name: earlier.org_name as string,
              slug: earlier.org_slug as string,
              deleted: earlier.org_deleted_at !== null,
            },
    })),
  };
}

/**
 * An archive file at most this large keeps its records other than daily usage in memory from the
 * reading that writes its usage, so its org's write need not read the file again.
 */
const HELD_ARCHIVE_BYTES = 8 * 1024 * 1024;

/** The daily usage an import wrote before its org exists (store.usage.startOrgDays), and what else it read. */
export interface StagedArchive {
  /** Archive id → this install's, for the org and its agents (its usage rows name them). */
  ids: Map<string, string>;
  orgId: string;
  org: number;
  since: number;
  /** The other streamed records, in file order, when the file was small enough to hold them. */
  held: ArchiveRecord[] | null;
  /** Whether the daily usage is written with the org, in its transaction, rather than before it. */
  inline: boolean;
}

/** Runs `step` a write at a time until it returns false (UsageRewrites' inWrites). */
type InWrites = (step: () => boolean) => Promise<void>;

/**
 * Gives the archive's org and agents their ids here and records the import as begun
 * (archive_imports), its daily usage to be written `inline` with the org or before it. Call inside
 * a write.
 */
export function startArchive(
  store: Store,
  scanned: ScannedArchive,
  now: string,
  inline: boolean,
): StagedArchive {
  const archive = scanned.head;
  const orgId = randomUUID();
  const ids = new Map<string, string>([[archive.org.id, orgId]]);
  for (const agent of archive.agents) ids.set(agent.id, randomUUID());
  const { org, since } = store.usage.startOrgDays(orgId);
  store.archiveImports.begin({ org_ref: org, since }, now);
  return { ids, orgId, org, since, held: null, inline };
}

/** An archive's daily usage row as this install writes it, its agent named by its id here. */
function dayRow(row: OrgArchive['usageDaily'][number], ids: Map<string, string>): DailyUsageRow {
  return {
    model: row.model,
    day: row.day,
    agent_id: ids.get(row.agentId) as string,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cache_read_tokens: row.cacheReadTokens,
    cache_write_tokens: row.cacheWriteTokens,
    cache_write_1h_tokens: row.cacheWrite1hTokens,
    reasoning_tokens: row.reasoningTokens,
    tier: TIERS.indexOf(row.tier),
    band: row.band,
    records: row.records,
  };
}

/**
 * Writes the daily usage of the archive `startArchive` began, from its file at `path`, a few rows
 * per write under the id of an org that does not exist yet, so no report counts them and other
 * calls are answered between writes; `writeArchive` then adds the org. Holds the file's other
 * streamed records when it is small (HELD_ARCHIVE_BYTES). Throws if the file changed since its
 * preview: the caller abandons the rows written.
 */
export async function stageArchiveDays(
  store: Store,
  path: string,
  scanned: ScannedArchive,
  bytes: number,
  staged: StagedArchive,
  writes: InWrites,
): Promise<void> {
  const held: ArchiveRecord[] | null = bytes <= HELD_ARCHIVE_BYTES ? [] : null;
  const addDay = store.usage.orgDayWriter(staged.org, staged.since);
  const sections = new Set<StreamedSection>(held ? STREAMED_SECTIONS : ['usageDaily']);
  await readArchiveRecordsInTurns(path, scanned, sections, async (records) => {
    let next = 0;
    await writes(() => {
      for (let record = records[next++]; record !== undefined; record = records[next++]) {
        if (record.section !== 'usageDaily') {
          held?.push(record);
          continue;
        }
        addDay(dayRow(record.value, staged.ids));
        return true;
      }
      return false;
    });
  });
  staged.held = held;
}

/**
 * Writes the rest of the archive `startArchive` began as a new org with fresh ids, and sums the
 * months of its daily usage: the held sections first, then each streamed record (read again from
 * its file at `path` unless the staging held them), then the usage's sums and missing prices, the
 * audit trail last. Call inside one transaction: any failure leaves no org behind. Returns the new
 * org's id and the price periods it added (addMissingPrices).
 */
export function writeArchive(
  store: Store,
  path: string,
  scanned: ScannedArchive,
  plan: ImportPlan,
  slug: string,
  now: string,
  staged: StagedArchive,
): { orgId: string; pricesAdded: ArchivedPrice[] } {
  if (!store.archiveImports.running(staged.org))
    throw new AppError('CONFLICT', 'The import was interrupted (the server restarted): apply it again.');
  const archive = scanned.head;
  const { ids, orgId } = staged;
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
      // As every account's: sign-in and membership look emails up in lower case.
      email: user.email.toLowerCase(),
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
      id: ids.get(agent.id) as string,
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
  for (const closed of archive.closedMonths)
    store.transfer.insertClosedMonth({
      org_id: orgId,
      month: closed.month,
      closed_at: closed.closedAt,
      statement_number: closed.statement,
    });
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

  const addDay = staged.inline ? store.usage.orgDayWriter(staged.org, staged.since) : undefined;
  const archivedPrices: ArchivedPrice[] = [];
  let pricesAdded: ArchivedPrice[] | undefined;
  /**
   * Sums the org's usage and adds the prices it lacks, once; answers the price periods added.
   * Called before the trail's first entry, which is chained as it is read (insertNow), taking the
   * trail's head: that must be the last lock this write takes (PgDb.atCommit).
   */
  const finishUsageAndPrices = (): ArchivedPrice[] => {
    if (pricesAdded === undefined) {
      store.usage.finishOrgDays(staged.org, staged.since);
      store.archiveImports.end(staged.org);
      pricesAdded = addMissingPrices(store, archivedPrices);
    }
    return pricesAdded;
  };
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
        archivedPrices.push({
          model: price.model,
          effective_from: price.effectiveFrom,
          input_pico: price.inputPico,
          output_pico: price.outputPico,
          source: price.source,
          created_at: price.createdAt,
          rates: price.rates,
        });
        return;
      }
      case 'usageDaily':
        // Written before the org (stageArchiveDays) unless inline.
        addDay?.(dayRow(record.value, ids));
        return;
      case 'audit': {
        // The org's trail comes along as it was (time, actor, action, summary), appended to this
        // install's hash chain in its original order, each entry marked with where it came from:
        // whatever the file says under `imported`, so no entry can pass for one written here.
        // Chained as read: a long trail is not held in memory until the import commits.
        finishUsageAndPrices();
        const entry = record.value;
        store.audit.insertNow({
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
  const notUsage = STREAMED_SECTIONS.filter((section) => staged.inline || section !== 'usageDaily');
  if (staged.held) {
    for (const record of staged.held) if (record.section !== 'audit') write(record);
    for (const record of staged.held) if (record.section === 'audit') write(record);
  } else if (scanned.auditLast) readArchiveRecords(path, scanned, new Set(notUsage), write);
  else {
    readArchiveRecords(path, scanned, new Set(notUsage.filter((section) => section !== 'audit')), write);
    readArchiveRecords(path, scanned, new Set(['audit'] as const), write);
  }
  return { orgId, pricesAdded: finishUsageAndPrices() };
}

/**
 * Adds the periods of the models this install has no price for, each as a price change here would
 * be: the usage already imported of it (other orgs', and the new org's, summed just before as
 * unpriced) moves into the period, through UsageRewrites, a period at a time in date order so each
 * move starts from the labels the one before left. A model this install prices keeps its prices,
 * which price the org's usage too: a period of the archive's would re-price what other orgs already
 * used of it, behind their margins and statements. Call once the org's days are its own (no longer
 * staged): a month summed again from its days then counts them once. Returns the periods added.
 */
function addMissingPrices(store: Store, prices: ArchivedPrice[]): ArchivedPrice[] {
  const unpriced = new Map<string, boolean>();
  const isUnpriced = (model: string) => {
    let answer = unpriced.get(model);
    if (answer === undefined) {
      answer = !store.transfer.modelPriced(model);
      unpriced.set(model, answer);
    }
    return answer;
  };
  const toAdd = prices
    .filter((price) => isUnpriced(price.model))
    .sort((a, b) => a.effective_from.localeCompare(b.effective_from));
  return toAdd.filter((price) => {
    if (!store.transfer.addPriceIfMissing(price)) return false;
    store.usage.rebucketModel(price.model, price.effective_from);
    return true;
  });
}

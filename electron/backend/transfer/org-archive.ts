import { createHash } from 'node:crypto';
import * as z from 'zod';
import { MAX_PRICE_PICO_PER_TOKEN } from '../../../shared/contract/billing';
import {
  BillingMode,
  DateTime,
  Day,
  MembershipRole,
  Month,
  Page,
  Slug,
} from '../../../shared/contract/fields';
import { POLICY_KINDS, PolicyConfig, PolicyDefaults } from '../../../shared/contract/policies';
import { DAY_MS } from '../../../shared/domain/days';
import { isHandle } from '../../../shared/domain/handle';
import { MAX_AMOUNT_MICROS, MAX_MARKUP_BP } from '../../../shared/domain/money';
import { monthBounds } from '../../../shared/domain/months';
import { isTimeZone } from '../../../shared/domain/timezone';
import { CATEGORIES, TIERS } from '../../../shared/domain/token-pricing';
import { MAX_TOKENS } from '../usage/usage-row';

/**
 * The org archive, version 1: everything one org owns, with the ids of the install it came from
 * (remapped on import). Amounts are integer micro-USD, prices pico-USD per token, times UTC ISO.
 * A change that old readers would misread is a new version, never an edit of this one.
 */
export const ARCHIVE_FORMAT = 'orgdeck-org-export';
export const ARCHIVE_VERSION = 1;

const Uuid = z.uuid();
/** An archive is data, not history to rewrite: its times and days lie where a caller's can. */
const Time = DateTime;
const Whole = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Micro-USD in whole cents, as the channels take money: a rate of $40.005 billed differently by billing mode. */
const CENTS_MESSAGE = 'An amount is in whole cents';
const inCents = (micros: number) => micros % 10_000 === 0;
/** Money and markups no larger than the channels take: a crafted archive must not bill what no screen can. */
const Amount = z.number().int().min(0).max(MAX_AMOUNT_MICROS, 'An amount is at most $999,999,999.99');
const Cents = Amount.refine(inCents, CENTS_MESSAGE);
const MarkupBp = z.number().int().min(0).max(MAX_MARKUP_BP, 'A markup is at most 1000%');
/** Pico-USD per token, as prices.set can set it: at most 999,999.999999 USD per million tokens. */
const PricePico = z.number().int().min(0).max(MAX_PRICE_PICO_PER_TOKEN);
const Text = (max: number) => z.string().max(max);
const Name = z.string().min(1).max(200);

/** [from, to): to is null while the span is still open. */
const Span = z
  .object({ from: Time, to: Time.nullable() })
  .refine((span) => span.to === null || Date.parse(span.to) > Date.parse(span.from), {
    message: 'A span must end after it starts',
  });

const ArchiveOrg = z
  .object({
    id: Uuid,
    slug: Slug,
    name: Name,
    timezone: z.string().refine(isTimeZone, 'Not an IANA time zone'),
    rateMicros: Cents,
    billingMode: BillingMode,
    contactName: Text(200),
    contactEmail: Text(254),
    description: Text(2000),
    budgetMicros: Cents.nullable(),
    active: z.boolean(),
    createdAt: Time,
    updatedAt: Time,
  })
  .strict();

const ArchiveUser = z
  .object({
    id: Uuid,
    email: z.email(),
    name: Name,
    pages: z.array(Page).max(6),
    /** The user's role in the org; archives from before memberships have none and mean `member`. */
    role: MembershipRole.optional(),
    disabled: z.boolean(),
    createdAt: Time,
    updatedAt: Time,
  })
  .strict();

const ArchiveAgent = z
  .object({
    id: Uuid,
    handle: z.string().refine(isHandle, 'Not an agent handle'),
    name: Name,
    email: Text(254),
    model: Text(200),
    status: z.enum(['active', 'paused', 'stopped']),
    description: Text(2000),
    rateMicros: Cents.nullable(),
    /** Assigned to the org when it was exported; the others are there for past months' billing. */
    current: z.boolean(),
    createdAt: Time,
    updatedAt: Time,
    deletedAt: Time.nullable(),
  })
  .strict();

const ArchivePolicyVersion = z
  .object({
    version: z.number().int().min(1),
    name: Name,
    description: Text(2000),
    config: PolicyConfig,
    enabled: z.boolean(),
    change: Text(200),
    at: Time,
    actorLabel: Text(300),
  })
  .strict();

const ArchivePolicy = z
  .object({
    id: Uuid,
    kind: z.enum(POLICY_KINDS, { message: `Not a policy kind: one of ${POLICY_KINDS.join(', ')}` }),
    version: z.number().int().min(1),
    createdAt: Time,
    updatedAt: Time,
    versions: z.array(ArchivePolicyVersion).min(1),
  })
  .strict()
  .refine((policy) => policy.versions.some((v) => v.version === policy.version), {
    message: 'A policy’s current version must be among its versions',
  })
  .refine((policy) => new Set(policy.versions.map((v) => v.version)).size === policy.versions.length, {
    message: 'A policy lists a version twice',
  })
  .superRefine((policy, ctx) => {
    policy.versions.forEach((version, i) => {
      if (version.config.kind !== policy.kind)
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i, 'config', 'kind'],
          message: `A ${policy.kind} policy’s versions are all ${policy.kind}`,
        });
    });
  });

const ArchiveDoc = z
  .object({
    id: Uuid,
    title: Name,
    body: z.string().max(2_000_000),
    sourceName: Text(300),
    tags: z.array(z.string().min(1).max(40)).max(20),
    size: Whole,
    authorId: z.string().max(100).nullable(),
    authorLabel: Text(300),
    createdAt: Time,
    updatedAt: Time,
  })
  .strict();

/** A day's sum of `records` usage records, each bounded as a usage file's rows are. */
const ArchiveUsageDay = z
  .object({
    model: z.string().min(1).max(200),
    day: Day,
    agentId: Uuid,
    inputTokens: Whole,
    outputTokens: Whole,
    // Archives from before token categories have none of these: no cache or reasoning tokens,
    // standard tier, no long-context band.
    cacheReadTokens: Whole.default(0),
    cacheWriteTokens: Whole.default(0),
    cacheWrite1hTokens: Whole.default(0),
    reasoningTokens: Whole.default(0),
    tier: z.enum(TIERS).default('standard'),
    band: Whole.default(0),
    records: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict()
  .superRefine((row, ctx) => {
    const most = BigInt(row.records) * BigInt(MAX_TOKENS);
    const counts = [
      'inputTokens',
      'outputTokens',
      'cacheReadTokens',
      'cacheWriteTokens',
      'cacheWrite1hTokens',
      'reasoningTokens',
    ] as const;
    for (const field of counts) {
      if (BigInt(row[field]) > most)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `At most ${MAX_TOKENS} tokens per record (${row.records} records here)`,
        });
    }
  });

const ArchiveTerm = z
  .object({
    term: z.enum(['rate', 'billing_mode', 'usage_markup', 'included_usage', 'minimum']),
    from: Day,
    amount: Whole.nullable(),
    mode: BillingMode.nullable(),
  })
  .strict()
  .refine((term) => (term.term === 'billing_mode') === (term.mode !== null), 'Only a billing mode has a mode')
  .refine(
    (term) => term.term === 'billing_mode' || term.term === 'usage_markup' || term.amount !== null,
    'This term needs an amount',
  )
  // A markup's amount is in basis points; the other terms' are money.
  .refine((term) => term.term === 'usage_markup' || term.amount === null || inCents(term.amount), {
    message: CENTS_MESSAGE,
    path: ['amount'],
  })
  .refine(
    (term) =>
      term.amount === null ||
      (term.term === 'usage_markup' ? MarkupBp : Amount).safeParse(term.amount).success,
    { message: 'An amount is at most $999,999,999.99, a markup at most 1000%', path: ['amount'] },
  );
/** A statement's number as an install issues it: PREFIX-YYYY-NNNN (settings' statementPrefix). */
const StatementNumber = z.string().regex(/^[A-Z0-9]{1,12}-\d{4}-\d{4,9}$/, 'Not a statement number');
/**
 * A month the archive's install (or one before it) closed for the org: on a statement, or with
 * nothing to bill. Closed once it was over (and, checked with the whole, before the export).
 */
const ArchiveClosedMonth = z
  .object({ month: Month, closedAt: Time, statement: StatementNumber.nullable() })
  .strict()
  .refine((closed) => Date.parse(closed.closedAt) >= monthBounds(closed.month)[1], {
    message: 'A month is closed once it is over',
    path: ['closedAt'],
  });
const ArchiveModelMarkup = z
  .object({ model: z.string().min(1).max(200), from: Day, markupBp: MarkupBp.nullable() })
  .strict();
const ArchiveAgentRate = z.object({ agentId: Uuid, from: Day, rateMicros: Cents.nullable() }).strict();

const ArchivePrice = z
  .object({
    model: z.string().min(1).max(200),
    effectiveFrom: Day,
    inputPico: PricePico,
    outputPico: PricePico,
    // Archives from before token categories have no other rates.
    rates: z
      .array(
        z
          .object({ category: z.enum(CATEGORIES), tier: z.enum(TIERS), above: Whole, pico: PricePico })
          .strict(),
      )
      .max(200)
      .default([]),
    source: Text(100),
    createdAt: Time,
  })
  .strict();

/** How an imported audit entry is marked: the entry it was and when its archive was made. */
const ImportedMarker = z.object({ entry: z.number().int().min(1), exportedAt: Time }).strict();

const ArchiveAuditEntry = z
  .object({
    id: z.number().int().min(1),
    at: Time,
    actorId: z.string().max(100).nullable(),
    actorLabel: Text(300),
    action: z.string().min(1).max(100),
    targetType: z.string().min(1).max(60),
    targetId: z.string().max(300),
    summary: z.record(z.string(), z.unknown()).superRefine((summary, ctx) => {
      // An entry of an org imported before carries where it came from; anything else there is forged.
      if ('imported' in summary && !ImportedMarker.safeParse(summary.imported).success)
        ctx.addIssue({
          code: 'custom',
          path: ['imported'],
          message: 'Not a mark of an earlier import: an entry’s provenance is set by the import',
        });
    }),
  })
  .strict();

/** The archive's top-level fields, each checked with the channels' own rules. */
export const ArchiveShape = {
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: Time,
  source: z.object({ app: z.string().max(100), schemaVersion: z.number().int() }).strict(),
  org: ArchiveOrg,
  inactivePeriods: z.array(Span),
  users: z.array(ArchiveUser),
  agents: z.array(ArchiveAgent),
  assignments: z.array(z.object({ agentId: Uuid, from: Time, to: Time.nullable() }).strict()),
  policies: z.array(ArchivePolicy),
  policyDefaults: PolicyDefaults.strict().nullable(),
  knowledge: z.array(ArchiveDoc),
  usageDaily: z.array(ArchiveUsageDay),
  prices: z.array(ArchivePrice),
  audit: z.array(ArchiveAuditEntry),
  // Archives written before billing terms had history carry none: the org's rate holds throughout.
  terms: z.array(ArchiveTerm).default([]),
  modelMarkups: z.array(ArchiveModelMarkup).default([]),
  agentRates: z.array(ArchiveAgentRate).default([]),
  // Archives written before they carried closed months carry none: every month may be billed here.
  closedMonths: z
    .array(ArchiveClosedMonth)
    .default([])
    .refine(
      (months) => new Set(months.map((closed) => closed.month)).size === months.length,
      'A month is listed twice',
    ),
};

/**
 * A whole archive, as an export builds it. An import never holds one: it reads the file record by
 * record (transfer/archive-reader.ts), checking each with these schemas and the whole with
 * createArchiveChecks.
 */
export const OrgArchive = z.object(ArchiveShape).strict();
export type OrgArchive = z.infer<typeof OrgArchive>;

/** A place in the archive and what is wrong there. */
export interface ArchiveIssue {
  path: (string | number)[];
  message: string;
}

/** What the rules that relate an archive's records need of the people, agents and stays it lists. */
export interface ArchiveMembers {
  exportedAt: string;
  closedMonths: OrgArchive['closedMonths'];
  org: Pick<OrgArchive['org'], 'id'>;
  users: Pick<OrgArchive['users'][number], 'id' | 'email'>[];
  agents: Pick<OrgArchive['agents'][number], 'id' | 'handle' | 'current' | 'deletedAt'>[];
  assignments: OrgArchive['assignments'];
}

/**
 * The rules that relate an archive's records to each other (ids and keys used once, stays and usage
 * of agents it has), checked as the records stream by. It keeps the ids of the people, agents,
 * policies and documents, each price's key, and 8 bytes of a hash per usage row (two different
 * rows share one with a chance of about n²/2⁶⁵: refused as a repeat, never imported wrongly).
 */
export function createArchiveChecks() {
  const ids = new Set<string>();
  let idTwice = false;
  /** Each model's price periods (effective from), for a period listed twice. */
  const pricePeriods = new Map<string, Set<string>>();
  let priceTwice = false;
  let usageHashes = new BigUint64Array(1024);
  let usageRows = 0;
  /** Each agent id usage rows name, with the first row naming it. */
  const usageAgents = new Map<string, number>();
  /** The trail's latest entry, and where it is. */
  let latestEntry: { at: number; index: number } | null = null;

  const noteId = (id: string) => {
    if (ids.has(id)) idTwice = true;
    else ids.add(id);
  };

  return {
    /** An org, user, agent, policy or document id: each is used once. */
    id: noteId,
    price(price: Pick<OrgArchive['prices'][number], 'model' | 'effectiveFrom'>): void {
      let periods = pricePeriods.get(price.model);
      if (periods === undefined) {
        periods = new Set();
        pricePeriods.set(price.model, periods);
      }
      if (periods.has(price.effectiveFrom)) priceTwice = true;
      else periods.add(price.effectiveFrom);
    },
    usageRow(row: OrgArchive['usageDaily'][number], index: number): void {
      if (usageRows === usageHashes.length) {
        const grown = new BigUint64Array(usageHashes.length * 2);
        grown.set(usageHashes);
        usageHashes = grown;
      }
      // As a JSON list: a model named with a separator in it cannot pass for another row's key.
      const key = JSON.stringify([row.model, row.day, row.agentId, row.tier, row.band]);
      usageHashes[usageRows++] = createHash('sha256').update(key).digest().readBigUInt64BE(0);
      if (!usageAgents.has(row.agentId)) usageAgents.set(row.agentId, index);
    },
    auditEntry(entry: Pick<OrgArchive['audit'][number], 'at'>, index: number): void {
      const at = Date.parse(entry.at);
      if (latestEntry === null || at > latestEntry.at) latestEntry = { at, index };
    },
    /** What breaks the rules, once every record has been read. */
    issues({ exportedAt, closedMonths, org, users, agents, assignments }: ArchiveMembers): ArchiveIssue[] {
      const found: ArchiveIssue[] = [];
      const problem = (path: (string | number)[], message: string) => found.push({ path, message });
      // A month closed after the export would be one this install never bills, on no one's statement.
      // A day's leeway: the close may be another server's (or install's) clock, a little ahead.
      closedMonths.forEach((closed, i) => {
        if (Date.parse(closed.closedAt) > Date.parse(exportedAt) + DAY_MS)
          problem(['closedMonths', i, 'closedAt'], 'Closed after the archive was made');
      });
      // So is an entry of the trail: one dated later would pass for a change made here since.
      if (latestEntry !== null && latestEntry.at > Date.parse(exportedAt) + DAY_MS)
        problem(['audit', latestEntry.index, 'at'], 'Recorded after the archive was made');
      for (const id of [org.id, ...users.map((u) => u.id), ...agents.map((a) => a.id)]) noteId(id);
      if (idTwice) problem([], 'An id is used twice');
      if (new Set(users.map((u) => u.email.toLowerCase())).size !== users.length)
        problem(['users'], 'An email is listed twice');
      const current = agents.filter((a) => a.current);
      if (new Set(current.map((a) => a.handle)).size !== current.length)
        problem(['agents'], 'Two current agents share a handle');
      if (priceTwice) problem(['prices'], 'A price is listed twice');
      const hashes = usageHashes.subarray(0, usageRows).sort();
      if (hashes.some((hash, at) => at > 0 && hash === hashes[at - 1]))
        problem(['usageDaily'], 'A usage row is listed twice');
      const byId = new Map(agents.map((agent) => [agent.id, agent]));
      const open = new Set<string>();
      assignments.forEach((stay, i) => {
        if (!byId.has(stay.agentId)) problem(['assignments', i, 'agentId'], 'Not an agent of the archive');
        if (stay.to !== null && Date.parse(stay.to) <= Date.parse(stay.from))
          problem(['assignments', i], 'A span must end after it starts');
        if (stay.to === null) open.add(stay.agentId);
      });
      for (const [id, agent] of byId) {
        if (agent.current !== open.has(id))
          problem(['agents'], `Agent ${agent.handle}: only current agents have an open assignment`);
        if (agent.current && agent.deletedAt !== null)
          problem(['agents'], `Agent ${agent.handle} is deleted but current`);
      }
      for (const [agentId, index] of usageAgents)
        if (!byId.has(agentId)) problem(['usageDaily', index, 'agentId'], 'Not an agent of the archive');
      return found;
    },
  };
}

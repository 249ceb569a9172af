import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/envelope';
import type {
  ClientStatement,
  STATEMENT_FORMATS,
  StatementDocument,
  StatementSummary,
} from '../../../shared/contract/statements';
import { picoToMicros } from '../../../shared/domain/billing';
import { divRound, formatScaled } from '../../../shared/domain/decimal';
import { monthBounds } from '../../../shared/domain/months';
import { allowsIn } from '../../../shared/domain/permissions';
import { statementCsv } from '../../../shared/domain/statement-csv';
import {
  type BilledLine,
  type LineDifference,
  lineDifferences,
} from '../../../shared/domain/statement-lines';
import { markedUp, shareOut } from '../../../shared/domain/usage-fee';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { OrgRow } from '../store/repos/orgs-repo';
import type { ChangeSince, NewStatementLine, StatementRow } from '../store/repos/statements-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { liveOrg } from './live-org';
import type { MarginsService, OrgMonthBilling } from './margins-service';
import type { Principal } from './principal';
import type { SettingsService } from './settings-service';
import { linesOfMonth, totalTokens } from './statement-lines';
import { statementPdf } from './statement-pdf';
import { addCosted } from './usage-costs';
import type { UsageRewrites } from './usage-rewrites';

type Line = StatementDocument['lines'][number];
type StatementFormat = (typeof STATEMENT_FORMATS)[number];

const CONTENT_TYPES: Record<StatementFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

/** Charges are whole cents; shown to the cent. */
const amountText = (micros: bigint) => formatScaled(divRound(micros, 10_000n), 2);
const costText = (pico: bigint) => formatScaled(picoToMicros(pico), 6);

/** A UTC instant as the org's calendar day, e.g. "3 December 2026". */
function dayIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

/** A month as a statement names it: "November 2026". */
function monthName(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(monthBounds(month)[0]),
  );
}

const SUMMARY_LABEL: Record<string, string> = {
  'price.imported': 'prices imported',
  'org.updated': 'organization’s terms changed',
  'org.terms_changed': 'organization’s billing terms changed',
  'org.markup_set': 'model markup changed',
  'agent.rate_changed': 'agent’s rate changed',
  'org.deleted': 'organization deleted',
  'org.restored': 'organization restored',
  'agent.updated': 'agent’s rate or details changed',
  'agent.assigned': 'agent assigned',
  'agent.moved': 'agent moved between organizations',
  'agent.unassigned': 'agent unassigned',
  'agent.deleted': 'agent deleted',
};

/**
 * Why a closed month's line changed, from what happened since it was last billed: usage lines
 * change with imports and prices, agent fees with assignments and rates, both with the org's terms;
 * the allowance and the minimum's top-up follow them all.
 */
function reasonFor(
  difference: LineDifference,
  orgId: string,
  changes: ChangeSince[],
  timeZone: string,
): string {
  const { kind } = difference;
  const usage = kind !== 'agent_fee';
  const fees = kind === 'agent_fee' || kind === 'minimum_top_up';
  const parts = changes.flatMap((change) => {
    const when = dayIn(change.at, timeZone);
    if (change.what === 'import') return usage ? [`late usage import ${change.name} (${when})`] : [];
    if (change.what === 'undo') return usage ? [`usage import ${change.name} undone (${when})`] : [];
    if (change.name === 'price.set')
      return usage && (kind !== 'usage' || change.target_id === difference.key)
        ? [`price of ${change.target_id} changed (${when})`]
        : [];
    if (change.name === 'price.imported') return usage ? [`${SUMMARY_LABEL[change.name]} (${when})`] : [];
    const label = `${SUMMARY_LABEL[change.name] ?? change.name} (${when})`;
    if (change.name.startsWith('org.')) return change.org_id === orgId ? [label] : [];
    // An agent's change: its own fee line, or the org's top-up.
    const touches =
      change.target_id === difference.key || (kind === 'minimum_top_up' && change.org_id === orgId);
    return fees && touches ? [label] : [];
  });
  const unique = [...new Set(parts)];
  const text =
    unique.length > 0
      ? unique.join('; ')
      : kind === 'agent_fee'
        ? 'fee recomputed since it was billed'
        : 'usage recomputed since it was billed';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Adjustment {
  forMonth: string;
  difference: LineDifference;
  reason: string;
}

function documentLine(line: BilledLine): Line {
  return {
    kind: line.kind,
    description: line.description,
    agent: line.agent,
    model: line.model,
    days: line.days,
    rate: line.rateMicros === null ? null : amountText(line.rateMicros),
    tokens: line.tokens.toString(),
    cost: costText(line.costPico),
    markup: line.markupPct,
    amount: amountText(line.amountMicros),
    adjustment: null,
  };
}

function adjustmentLine({ forMonth, difference, reason }: Adjustment): Line {
  return {
    kind: difference.kind,
    description: `Adjustment for ${monthName(forMonth)}: ${difference.description}`,
    agent: null,
    model: difference.kind === 'usage' ? difference.key : null,
    days: null,
    rate: null,
    tokens: difference.tokens.toString(),
    cost: costText(difference.costPico),
    markup: null,
    amount: amountText(difference.amountMicros),
    adjustment: { for_month: forMonth, reason },
  };
}

/** What a client sees of a statement: its charges, never the MSP's cost or markup. */
export function clientView(document: StatementDocument): ClientStatement {
  const { totals, lines, ...rest } = document;
  return {
    ...rest,
    lines: lines.map(({ cost: _cost, markup: _markup, ...line }) => line),
    totals: {
      fees: totals.fees,
      usage: totals.usage,
      minimum_top_up: totals.minimum_top_up,
      adjustments: totals.adjustments,
      total: totals.total,
    },
  };
}

/** The lines that bill an org's usage: what its usage page shows. */
const USAGE_LINES: readonly string[] = ['usage', 'included_allowance'];

/** Whom a statement is issued to: the org as it is, or, once purged, as its statement names it. */
type IssuedTo = StatementDocument['org'];

export function createStatementsService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  settings: SettingsService,
  margins: MarginsService,
  rewrites: UsageRewrites,
  /** Whether a usage import is running, here or in another live process (UsageService.importsRunning). */
  importsRunning: () => boolean,
) {
  const orgRef = (org: Pick<OrgRow, 'id' | 'slug' | 'name'>) => ({
    id: org.id,
    slug: org.slug,
    name: org.name,
  });

  function summary(row: StatementRow, org: Pick<OrgRow, 'id' | 'slug' | 'name'>): StatementSummary {
    const numberOf = (id: string | null) =>
      id === null ? null : (JSON.parse(store.statements.byId(id)?.document ?? 'null')?.number ?? null);
    return {
      number: row.number,
      kind: row.kind,
      org: orgRef(org),
      month: row.month,
      issued_at: row.issued_at,
      total: amountText(BigInt(row.total_micros)),
      voided_by: numberOf(row.voided_by),
      credits: numberOf(row.credits),
    };
  }

  /**
   * Per closed month of the org (billed on a statement, or closed with nothing to bill) that
   * computes now other than all that was billed for it, those differences: what is not billed yet.
   */
  function unbilledDifferences(orgId: string) {
    return store.statements.closedMonthsOfOrg(orgId).flatMap(({ month, closed_at }) => {
      const differences = differencesOf(orgId, month);
      return differences.length === 0 ? [] : [{ month, closedAt: closed_at, differences }];
    });
  }

  /** The org's changes to closed months not billed yet, each with what changed to make it. */
  function pendingOf(org: OrgRow): Adjustment[] {
    return unbilledDifferences(org.id).flatMap(({ month, closedAt, differences }) => {
      const changes = store.statements.changesSince(
        org.id,
        store.statements.lastBilledAt(org.id, month) ?? closedAt,
      );
      return differences.map((difference) => ({
        forMonth: month,
        difference,
        reason: reasonFor(difference, org.id, changes, org.timezone),
      }));
    });
  }

  /** How the org's month, as it computes now (`billing`), differs from all that was billed for it. */
  const differencesOf = (
    orgId: string,
    month: string,
    billing: OrgMonthBilling = margins.orgMonthBilling(orgId, month),
  ) => lineDifferences(linesOfMonth(billing), store.statements.billed(orgId, month));

  /**
   * Whether the org's month is closed (on its statement, or with nothing to bill), the later
   * statements that billed changes to it, and by how much its usage charges now differ from all
   * that was billed: the next statement's adjustment.
   */
  function closedState(orgId: string, month: string, billing: OrgMonthBilling) {
    const standing = store.statements.standing(orgId, month);
    // Closed by the install the org was moved from: what it billed is there, and nothing is billed here.
    const atSource = standing ? undefined : store.statements.closedAtSource(orgId, month);
    if (atSource)
      return { statement: atSource.statement_number, before_move: true, adjusted_on: [], adjustment: null };
    if (!standing && !store.statements.closedWithout(orgId, month)) return null;
    const usageAdjustment = differencesOf(orgId, month, billing)
      .filter(({ kind }) => USAGE_LINES.includes(kind))
      .reduce((total, { amountMicros }) => total + amountMicros, 0n);
    return {
      statement: standing?.number ?? null,
      before_move: false,
      adjusted_on: store.statements.adjustedOn(orgId, month),
      adjustment: usageAdjustment === 0n ? null : amountText(usageAdjustment),
    };
  }

  /** Takes the year's next number and inserts, inside the caller's transaction. */
  function issue(
    org: IssuedTo,
    month: string,
    kind: StatementRow['kind'],
    build: (number: string, issuedAt: string) => StatementDocument,
    lines: NewStatementLine[],
    credits: string | null,
    totalMicros: bigint,
  ): StatementRow {
    const issuedAt = clock.now().toISOString();
    const year = Number(issuedAt.slice(0, 4));
    const seq = store.statements.nextSeq(year);
    const number = `${settings.current().statementPrefix}-${year}-${String(seq).padStart(4, '0')}`;
    const document = build(number, issuedAt);
    const logo = document.msp.logo ? (store.logos.get(document.msp.logo)?.data ?? null) : null;
    const row = {
      id: randomUUID(),
      number,
      year,
      seq,
      kind,
      org_id: org.id,
      month,
      issued_at: issuedAt,
      total_micros: Number(totalMicros),
      credits,
      document: `${JSON.stringify(document, null, 2)}\n`,
    };
    store.statements.insert({ ...row, pdf: statementPdf(clientView(document), logo) }, lines);
    return { ...row, voided_by: null };
  }

  function header(org: IssuedTo, month: string, number: string, issuedAt: string) {
    const current = settings.current();
    return {
      number,
      month,
      currency: 'USD' as const,
      issued_at: issuedAt,
      issued_on: dayIn(issuedAt, org.timezone),
      period: monthName(month),
      timezone: org.timezone,
      org: {
        id: org.id,
        slug: org.slug,
        name: org.name,
        contact_name: org.contact_name,
        contact_email: org.contact_email,
        timezone: org.timezone,
      },
      msp: { name: current.mspName, address: current.mspAddress, logo: settings.logoHash() },
    };
  }

  function closeOrg(actor: Principal, org: OrgRow, month: string): StatementRow | string {
    const standing = store.statements.standing(org.id, month);
    if (standing) return `already closed: ${standing.number}`;
    // Billed (or closed) by the install the org was moved from: its client has that statement.
    const atSource = store.statements.closedAtSource(org.id, month);
    if (atSource)
      return atSource.statement_number === null
        ? `closed with nothing to bill on ${dayIn(atSource.closed_at, org.timezone)} by the Orgdeck the org was moved from: not billed here`
        : `billed on statement ${atSource.statement_number} by the Orgdeck the org was moved from: not billed again here`;
    // Closed before with nothing to bill: closed again before a later statement billed any of what
    // came since (an import that came late), the month gets its own statement after all.
    const closedWithout = store.statements.closedWithout(org.id, month);
    if (closedWithout && store.statements.lastBilledAt(org.id, month) !== null)
      return `already closed on ${dayIn(closedWithout.closed_at, org.timezone)} with nothing to bill; what it billed since is on later statements as adjustments`;
    const own = linesOfMonth(margins.orgMonthBilling(org.id, month));
    // A month closed again after its statement was voided: later statements may have billed part
    // of it meanwhile (adjustments of it), which this one takes back, so the month is billed once.
    const billedElsewhere = lineDifferences([], store.statements.billed(org.id, month)).map((difference) => ({
      forMonth: month,
      difference,
      reason: 'billed on a later statement, before this month was closed again',
    }));
    // The month's own changes since it was closed with nothing are its own statement's now.
    const adjustments = [...pendingOf(org).filter(({ forMonth }) => forMonth !== month), ...billedElsewhere];
    if (!own.some((line) => line.amountMicros !== 0n) && adjustments.length === 0) {
      // Closed all the same: what the month comes to bill later is an adjustment (pendingOf).
      if (!closedWithout) store.statements.closeWithout(org.id, month, clock.now().toISOString());
      return 'nothing to bill this month';
    }
    if (closedWithout) store.statements.reopenWithout(org.id, month);
    const sum = (lines: { amountMicros: bigint }[]) =>
      lines.reduce((total, line) => total + line.amountMicros, 0n);
    const fees = sum(own.filter((line) => line.kind === 'agent_fee'));
    const usage = sum(own.filter((line) => line.kind === 'usage' || line.kind === 'included_allowance'));
    const minimum = sum(own.filter((line) => line.kind === 'minimum_top_up'));
    const adjusted = sum(adjustments.map((a) => a.difference));
    const cost =
      own.reduce((total, line) => total + line.costPico, 0n) +
      adjustments.reduce((total, a) => total + a.difference.costPico, 0n);
    const stored: NewStatementLine[] = [
      ...own.map((line) => ({
        for_month: month,
        kind: line.kind,
        key: line.key,
        description: line.about,
        amount_micros: line.amountMicros,
        cost_pico: line.costPico,
        tokens: line.tokens,
      })),
      ...adjustments.map(({ forMonth, difference }) => ({
        for_month: forMonth,
        kind: difference.kind,
        key: difference.key,
        description: difference.description,
        amount_micros: difference.amountMicros,
        cost_pico: difference.costPico,
        tokens: difference.tokens,
      })),
    ].map((line, position) => ({ ...line, position }));
    const row = issue(
      org,
      month,
      'statement',
      (number, issuedAt) => ({
        ...header(org, month, number, issuedAt),
        kind: 'statement',
        credits: null,
        reason: null,
        lines: [...own.map(documentLine), ...adjustments.map(adjustmentLine)],
        totals: {
          fees: amountText(fees),
          usage: amountText(usage),
          minimum_top_up: amountText(minimum),
          adjustments: amountText(adjusted),
          total: amountText(fees + usage + minimum + adjusted),
          cost: costText(cost),
        },
      }),
      stored,
      null,
      fees + usage + minimum + adjusted,
    );
    audit.record(actor, {
      action: 'statement.issued',
      orgId: org.id,
      target: { type: 'statement', id: row.number },
      summary: { after: { number: row.number, month, total: amountText(BigInt(row.total_micros)) } },
    });
    return row;
  }

  function found(scope: OrgScope, number: string): StatementRow {
    const row = store.statements.byNumber(scope, number);
    if (!row) throw new AppError('NOT_FOUND', `No statement numbered ${number}.`);
    return row;
  }

  /** The org of a statement the scope found: the same scope sees it. */
  const orgOf = (scope: OrgScope, row: StatementRow) => store.orgs.get(scope, row.org_id);

  return {
    /**
     * Closes the month for one org or every current one. Each org's statement is its own short
     * write, computed inside it and committed on its own (on either engine), and the thread is free
     * between them: another call's write waits for one org's statement, not for the month. A
     * failure keeps the statements issued before it; closing again closes the orgs not closed yet.
     */
    async close(actor: Principal, scope: OrgScope, month: string, orgId?: string) {
      const [, end] = monthBounds(month);
      if (end > clock.now().getTime())
        throw new AppError(
          'VALIDATION',
          `${monthName(month)} has not ended yet: a month is closed once it is over.`,
        );
      // An import commits as it goes: closed meanwhile, a month would bill part of the file and the
      // rest a month later as a late import's adjustment.
      if (importsRunning())
        throw new AppError(
          'CONFLICT',
          'A usage import is running: close the month once it has finished, so its statements bill all of it. Nothing was closed.',
        );
      const orgs = orgId
        ? [liveOrg(store, scope, orgId)]
        : store.orgs
            .list(scope, { status: 'current' })
            .filter((org) => org.is_owner === 0)
            .sort((a, b) => a.slug.localeCompare(b.slug));
      const issued: StatementSummary[] = [];
      const skipped: { org: string; reason: string }[] = [];
      for (const { id, slug } of orgs) {
        await store.letOthersIn();
        // Billed from settled sums: a re-pricing still moving months would bill some at the old
        // price, and an undo still taking an import out would bill some of its rows.
        await rewrites.whenSettled(() =>
          store.writeTransaction(() => {
            // As it is now: the org may have been changed, or deleted, while earlier ones were closed.
            const org = store.orgs.get(scope, id);
            if (!org || org.deleted_at !== null) {
              skipped.push({ org: slug, reason: 'deleted while the month was closed' });
              return;
            }
            if (importsRunning()) {
              skipped.push({
                org: slug,
                reason:
                  'a usage import started while the month was closed: close it again once it has finished',
              });
              return;
            }
            const result = closeOrg(actor, org, month);
            if (typeof result === 'string') skipped.push({ org: org.slug, reason: result });
            else issued.push(summary(result, org));
          }),
        );
      }
      return { issued, skipped };
    },

    void(actor: Principal, scope: OrgScope, number: string, reason: string): StatementSummary {
      return store.writeTransaction(() => {
        const voided = found(scope, number);
        if (voided.kind !== 'statement')
          throw new AppError('CONFLICT', `${number} is a credit note: only a statement can be voided.`);
        if (voided.voided_by !== null) throw new AppError('CONFLICT', `${number} is already voided.`);
        const original = JSON.parse(voided.document) as StatementDocument;
        // A purged org's statement is still listed and may still be wrong: its credit note goes to
        // the org as the statement was issued to it.
        const org = orgOf(scope, voided) ?? original.org;
        const negate = (text: string) =>
          text.startsWith('-') ? text.slice(1) : /^0(\.0+)?$/.test(text) ? text : `-${text}`;
        const row = issue(
          org,
          voided.month,
          'credit_note',
          (creditNumber, issuedAt) => ({
            ...header(org, voided.month, creditNumber, issuedAt),
            msp: original.msp,
            kind: 'credit_note',
            credits: number,
            reason,
            lines: original.lines.map((line) => ({
              ...line,
              description: `Credit: ${line.description}`,
              tokens: negate(line.tokens),
              cost: negate(line.cost),
              amount: negate(line.amount),
            })),
            totals: {
              fees: negate(original.totals.fees),
              usage: negate(original.totals.usage),
              minimum_top_up: negate(original.totals.minimum_top_up),
              adjustments: negate(original.totals.adjustments),
              total: negate(original.totals.total),
              cost: negate(original.totals.cost),
            },
          }),
          [],
          voided.id,
          -BigInt(voided.total_micros),
        );
        if (!store.statements.markVoided(voided.id, row.id))
          throw new AppError('CONFLICT', `${number} is already voided.`);
        audit.record(actor, {
          action: 'statement.voided',
          orgId: org.id,
          target: { type: 'statement', id: number },
          summary: { before: { number }, after: { credit_note: row.number, reason } },
        });
        return summary(row, org);
      });
    },

    list(scope: OrgScope, orgId?: string): StatementSummary[] {
      if (orgId) liveOrg(store, scope, orgId);
      // A purged org's statements stay, named as they were issued.
      return store.statements
        .list(scope, orgId ?? null)
        .map((row) => summary(row, orgOf(scope, row) ?? (JSON.parse(row.document) as StatementDocument).org));
    },

    /** The issued document, as stored. */
    document(scope: OrgScope, number: string): StatementDocument {
      return JSON.parse(found(scope, number).document) as StatementDocument;
    },

    /** The statement as the org's own users see it. */
    view(scope: OrgScope, number: string): ClientStatement {
      return clientView(JSON.parse(found(scope, number).document) as StatementDocument);
    },

    /**
     * The statement as a file, the same bytes every time: the JSON as issued (a client's without the
     * MSP's figures), the CSV from it, the PDF as issued (charges only, as the client receives it).
     */
    file(principal: Principal, scope: OrgScope, number: string, format: StatementFormat) {
      const row = found(scope, number);
      const staff = allowsIn(principal, 'billing.read', row.org_id);
      const document = JSON.parse(row.document) as StatementDocument;
      const shown = staff ? document : clientView(document);
      const bytes =
        format === 'pdf'
          ? store.statements.pdf(row.id)
          : Buffer.from(
              format === 'csv'
                ? statementCsv(shown)
                : staff
                  ? row.document
                  : `${JSON.stringify(shown, null, 2)}\n`,
              'utf8',
            );
      return {
        fileName: `${row.number}.${format}`,
        contentType: CONTENT_TYPES[format],
        base64: bytes.toString('base64'),
      };
    },

    /**
     * CONFLICT when moving the org to another Orgdeck would bill something twice: a month whose
     * statement was voided, not issued again, and partly billed on later statements is billed
     * whole where the org goes (which has none of them), so it is closed again here first.
     */
    mustBeMovable(orgId: string): void {
      const reopened = store.statements.billedInPartWhileOpen(orgId);
      if (reopened.length > 0)
        throw new AppError(
          'CONFLICT',
          `${reopened.map(monthName).join(', ')}: ${reopened.length === 1 ? 'its statement was' : 'their statements were'} voided and not issued again, and later statements billed part of ${reopened.length === 1 ? 'it' : 'them'}. Close ${reopened.length === 1 ? 'it' : 'them'} again before moving the organization, or the Orgdeck it moves to would bill that part twice. Nothing was exported.`,
        );
    },

    /**
     * How much of the org's closed months' changes no statement has billed yet (what `pending`
     * lists for it that charges or credits), or null when none: an org moved elsewhere takes none
     * of it along.
     */
    unbilled(scope: OrgScope, orgId: string): { adjustments: number; total: string } | null {
      if (!store.orgs.get(scope, orgId)) return null;
      // What a client would be charged or credited: differences of cost or tokens alone bill nothing.
      const owed = unbilledDifferences(orgId)
        .flatMap(({ differences }) => differences)
        .filter(({ amountMicros }) => amountMicros !== 0n);
      if (owed.length === 0) return null;
      const total = owed.reduce((sum, { amountMicros }) => sum + amountMicros, 0n);
      return { adjustments: owed.length, total: amountText(total) };
    },

    pending(scope: OrgScope, orgId?: string) {
      const ids = orgId ? [liveOrg(store, scope, orgId).id] : store.statements.orgsWithClosedMonths();
      return ids.flatMap((id) => {
        const org = store.orgs.get(scope, id);
        if (!org) return [];
        return pendingOf(org).map(({ forMonth, difference, reason }) => ({
          org: orgRef(org),
          for_month: forMonth,
          kind: difference.kind,
          description: difference.description,
          amount: amountText(difference.amountMicros),
          cost: costText(difference.costPico),
          tokens: difference.tokens.toString(),
          reason,
        }));
      });
    },

    /**
     * An org's tokens and charges by agent and model: what its own users may see of its usage. The
     * org's usage fee is shared out over the rows by their marked-up cost, so they add up to it.
     */
    usage(scope: OrgScope, month: string, orgId: string) {
      const org = liveOrg(store, scope, orgId);
      const billing = margins.orgMonthBilling(org.id, month);
      const rows = new Map<string, { entry: (typeof billing.usage)[number]; weight: bigint }>();
      for (const entry of billing.usage) {
        const key = `${entry.agentId}\u0000${entry.model}`;
        const weight = entry.markupBp === null ? 0n : markedUp(entry.usage.cost_pico, entry.markupBp);
        const seen = rows.get(key);
        rows.set(
          key,
          seen
            ? {
                entry: { ...seen.entry, usage: addCosted(seen.entry.usage, entry.usage) },
                weight: seen.weight + weight,
              }
            : { entry, weight },
        );
      }
      const charged = shareOut(
        billing.usageFeeMicros / 10_000n,
        [...rows].map(([key, row]) => [key, row.weight]),
      );
      return {
        month,
        org: orgRef(org),
        closed: closedState(org.id, month, billing),
        rows: [...rows]
          .sort(
            ([, a], [, b]) =>
              a.entry.name.localeCompare(b.entry.name) || a.entry.model.localeCompare(b.entry.model),
          )
          .map(([key, { entry }]) => ({
            agent: { handle: entry.handle, name: entry.name },
            model: entry.model,
            input_tokens: entry.usage.input_tokens.toString(),
            output_tokens: entry.usage.output_tokens.toString(),
            cache_read_tokens: entry.usage.cache_read_tokens.toString(),
            cache_write_tokens: entry.usage.cache_write_tokens.toString(),
            cache_tokens: (entry.usage.cache_read_tokens + entry.usage.cache_write_tokens).toString(),
            tokens: totalTokens(entry.usage).toString(),
            charged: amountText((charged.get(key) ?? 0n) * 10_000n),
          })),
      };
    },
  };
}

export type StatementsService = ReturnType<typeof createStatementsService>;

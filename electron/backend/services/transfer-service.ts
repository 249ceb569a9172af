import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import type { ChannelOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { ImportPreview } from '../../../shared/contract/transfer';
import { DAY_MS } from '../../../shared/domain/days';
import type { Logger } from '../logger';
import type { Clock } from '../store/clock';
import { isConstraintError } from '../store/engine-errors';
import type { OrgScope } from '../store/org-scope';
import type { OrgRows } from '../store/repos/transfer-repo';
import type { Store } from '../store/store';
import { archiveFromRows } from '../transfer/archive-from-rows';
import { type ScannedArchive, scanArchive } from '../transfer/archive-reader';
import {
  countsOf,
  type ImportPlan,
  planImport,
  type StagedArchive,
  stageArchiveDays,
  startArchive,
  writeArchive,
} from '../transfer/import-archive';
import type { AuditLog } from './audit-log';
import { toOrg } from './orgs-service';
import { priceSetAfter } from './prices-service';
import type { Principal } from './principal';
import { readHandedOff } from './reads-elsewhere';
import type { UploadsService } from './uploads-service';
import type { UsageRewrites } from './usage-rewrites';

/**
 * An archive's months are closed no later than it was made (createArchiveChecks): one dated ahead
 * of `now` would close months not yet over, which this install would then never bill. A day's
 * leeway, as for a close, for another install's clock.
 */
function madeBeforeNow(exportedAt: string, now: number): void {
  if (Date.parse(exportedAt) > now + DAY_MS)
    throw new AppError(
      'VALIDATION',
      `The org archive is damaged at exportedAt: it says it was made on ${exportedAt.slice(0, 10)}, after today. Nothing was imported.`,
      { issues: [{ path: ['exportedAt'], message: 'Made after today' }] },
    );
}

/** One export per org per minute: an archive holds a whole org, so this bounds the load and the copies. */
export const EXPORT_EVERY_MS = 60_000;
/** A previewed archive waits this long for its apply; then it must be uploaded again. */
const STAGED_MS = 3_600_000;
const MAX_STAGED_PER_USER = 3;

type ExportOutput = ChannelOutput<'orgs.export'>;

/**
 * A previewed archive: what its preview learned, and its file, kept (in the uploads folder, which a
 * start empties) until it is applied, replaced by a newer preview, or an hour old.
 */
interface Staged {
  owner: string | null;
  fileName: string;
  path: string;
  scanned: ScannedArchive;
  stagedAt: number;
}

/**
 * Org export and import: one archive of everything an org owns, imported into this install or
 * another as a new org with fresh ids, after a preview: its daily usage a few rows per write (no
 * report counts them before the org exists), then the org and the rest in one transaction.
 */
export function createTransferService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  uploads: UploadsService,
  rewrites: UsageRewrites,
  {
    everyOrg,
    logger,
    readOrgRowsElsewhere,
    closedMonths,
  }: {
    /** Every org: what an export's rows are read in on another thread, once the caller's scope allowed the org. */
    everyOrg: OrgScope;
    /** Where a read no reader answered is noted. */
    logger: Logger;
    /**
     * Reads an org's rows for its export off this thread (ReadsElsewhere.orgRows): its daily usage
     * is found by a walk of every usage row, over a second at 10M rows, which every write would
     * otherwise wait. Without it (or if it fails) the export reads here.
     */
    readOrgRowsElsewhere?: (orgId: string) => Promise<OrgRows | undefined>;
    /** What the org's closed months say of a move: refused, or what it leaves unbilled (StatementsService). */
    closedMonths: {
      mustBeMovable(orgId: string): void;
      unbilled(scope: OrgScope, orgId: string): ExportOutput['unbilled'];
    };
  },
) {
  const staged = new Map<string, Staged>();

  function forget(id: string): void {
    const entry = staged.get(id);
    if (entry === undefined) return;
    staged.delete(id);
    void rm(entry.path, { force: true });
  }

  function keep(entry: Staged): string {
    const now = clock.now().getTime();
    for (const [id, old] of staged) if (now - old.stagedAt > STAGED_MS) forget(id);
    const mine = [...staged].filter(([, old]) => old.owner === entry.owner);
    // Map order is insertion order: the first of mine is the oldest.
    if (mine.length >= MAX_STAGED_PER_USER) forget(mine[0]?.[0] ?? '');
    const id = randomUUID();
    staged.set(id, entry);
    return id;
  }

  function stagedFor(actor: Principal, importId: string): Staged {
    const entry = staged.get(importId);
    const fresh = entry && clock.now().getTime() - entry.stagedAt <= STAGED_MS;
    if (!entry || !fresh || entry.owner !== actor.userId) {
      throw new AppError(
        'NOT_FOUND',
        'No such import: upload the archive and preview it again (a preview is kept for an hour).',
      );
    }
    return entry;
  }

  function previewOf(importId: string, entry: Staged, plan: ImportPlan): ImportPreview {
    return {
      importId,
      fileName: entry.fileName,
      exportedAt: entry.scanned.head.exportedAt,
      org: { name: entry.scanned.head.org.name, slug: entry.scanned.head.org.slug },
      slug: plan.slug,
      counts: plan.counts,
      pricesToAdd: plan.pricesToAdd,
      renamedHandles: plan.renamedHandles,
      skippedUsers: plan.skippedUsers,
      importedBefore: plan.importedBefore,
    };
  }

  return {
    /** What a reader of a backend host answers a writer's `readOrgRowsElsewhere` with. */
    readOrgRows: (orgId: string) => store.asServer(everyOrg, () => store.transfer.orgRows(everyOrg, orgId)),

    /**
     * The org's archive, and its export in the trail. Its rows are read first (on another thread
     * when there is one), then checked and recorded in one short transaction.
     */
    async exportOrg(actor: Principal, scope: OrgScope, orgId: string): Promise<ExportOutput> {
      if (!scope.allows(orgId)) throw new AppError('NOT_FOUND', 'No such organization.');
      // Worked out from the month's billing before the export's transaction, which stays short.
      closedMonths.mustBeMovable(orgId);
      const unbilled = closedMonths.unbilled(scope, orgId);
      const handedOff =
        readOrgRowsElsewhere &&
        (await readHandedOff(store, logger, 'org rows', () => readOrgRowsElsewhere(orgId)));
      return store.transaction(() => {
        const rows = handedOff ? handedOff.value : store.transfer.orgRows(scope, orgId);
        if (!rows) throw new AppError('NOT_FOUND', 'No such organization.');
        const { org } = rows;
        if (org.deleted_at) throw new AppError('CONFLICT', `${org.name} is deleted: restore it first.`);
        if (org.is_owner) {
          throw new AppError(
            'CONFLICT',
            'The owner organization is not exported on its own: back up the whole store with `orgdeck backup`.',
          );
        }
        const last = store.transfer.lastExportAt(orgId);
        const now = clock.now();
        const wait = last ? Date.parse(last) + EXPORT_EVERY_MS - now.getTime() : 0;
        if (wait > 0) {
          const seconds = Math.ceil(wait / 1000);
          throw new AppError(
            'RATE_LIMITED',
            `${org.name} was exported less than a minute ago: try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
            { retryAfterSeconds: seconds },
          );
        }
        const archive = archiveFromRows(rows, now.toISOString());
        const content = JSON.stringify(archive);
        const fileName = `orgdeck-org-${org.slug}-${archive.exportedAt.slice(0, 10)}.json`;
        audit.record(actor, {
          action: 'export.created',
          orgId,
          target: { type: 'org', id: orgId },
          summary: {
            after: {
              file: fileName,
              bytes: Buffer.byteLength(content),
              ...countsOf(archive),
              // The trail says the org left with changes its statements here had not billed.
              ...(unbilled ? { unbilledChanges: unbilled.adjustments, unbilledTotal: unbilled.total } : {}),
            },
          },
        });
        return { fileName, content, unbilled };
      });
    },

    async preview(actor: Principal, uploadId: string): Promise<ImportPreview> {
      const upload = uploads.take(actor, uploadId, 'archive');
      let scanned: ScannedArchive;
      try {
        scanned = await scanArchive(upload.path);
        madeBeforeNow(scanned.head.exportedAt, clock.now().getTime());
      } catch (error) {
        await rm(upload.path, { force: true });
        throw error;
      }
      const entry: Staged = {
        owner: actor.userId,
        fileName: upload.fileName,
        path: upload.path,
        scanned,
        stagedAt: clock.now().getTime(),
      };
      return previewOf(keep(entry), entry, planImport(store, scanned));
    },

    /**
     * Answers once the org is in. A failure at any point leaves no org, and the daily rows already
     * written leave a write at a time before the answer (UsageRewrites), so the import can be
     * applied again at once.
     */
    async apply(actor: Principal, scope: OrgScope, importId: string, slug: string | undefined) {
      const { path, scanned } = stagedFor(actor, importId);
      slugFree(slug ?? scanned.head.org.slug, () => planImport(store, scanned));
      // On PostgreSQL a call is one transaction: the org's daily rows go in with it, and other
      // calls are not held up, since rows, not the whole database, are locked.
      const done = store.postgres
        ? await pricedAfter(addOrg(actor, scope, path, scanned, slug, null))
        : await applyInSteps(actor, scope, path, scanned, slug);
      forget(importId);
      return {
        org: done.org,
        renamedHandles: done.plan.renamedHandles,
        skippedUsers: done.plan.skippedUsers,
        pricesAdded: done.pricesAdded,
      };
    },
  };

  /**
   * Once the usage of the models an import priced here has moved to those prices, as after
   * prices.set: reports after the answer are exact.
   */
  async function pricedAfter<T extends { pricesAdded: number }>(done: T): Promise<T> {
    if (done.pricesAdded === 0) return done;
    // The org (on PostgreSQL its trail chained, the trail's head held) is in before the
    // re-pricing, seconds at 10M rows, which then keeps no other server's audited write waiting.
    await store.letOthersIn();
    await rewrites.settled();
    return done;
  }

  /** Writes the archive's daily rows a write at a time, then its org; a failure takes the rows back out. */
  async function applyInSteps(
    actor: Principal,
    scope: OrgScope,
    path: string,
    scanned: ScannedArchive,
    slug: string | undefined,
  ) {
    const bytes = (await stat(path)).size;
    let staged: StagedArchive | undefined;
    return rewrites
      .archiveImport(async (writes) => {
        const started = store.writeTransaction(() =>
          startArchive(store, scanned, clock.now().toISOString(), false),
        );
        staged = started;
        await stageArchiveDays(store, path, scanned, bytes, started, writes);
        // Within the import's turn: the next import's days are not written before its months are.
        return pricedAfter(addOrg(actor, scope, path, scanned, slug, started));
      })
      .catch(async (error: unknown) => {
        if (staged) {
          const { org } = staged;
          store.writeTransaction(() => store.archiveImports.abandon(org));
          await rewrites.settled();
        }
        throw error;
      });
  }

  /** Throws unless `slug` is free, with the plan's suggestion of one that is. */
  function slugFree(slug: string, plan: () => ImportPlan): void {
    const holder = store.orgs.nameOfSlug(slug);
    if (holder === undefined) return;
    throw new AppError(
      'CONFLICT',
      `The slug "${slug}" is already used by ${holder}: choose a new slug for the imported organization.`,
      { issues: [{ path: ['slug'], message: 'This slug is taken' }], suggestion: plan().slug.suggestion },
    );
  }

  /** The org of an archive and the rest of it (its daily usage too unless `staged` wrote it), in one transaction. */
  function addOrg(
    actor: Principal,
    scope: OrgScope,
    path: string,
    scanned: ScannedArchive,
    slug: string | undefined,
    staged: StagedArchive | null,
  ) {
    const archive = scanned.head;
    // It sums the org's months from its days at the prices of now: a rollup write, so no price
    // change commits between reading and writing (the org's insert would lock them out too, by its
    // trigger, but only after planning has read the store).
    return store.billingRevision.writeRollups(() => {
      const plan = planImport(store, scanned);
      const wanted = slug ?? archive.org.slug;
      slugFree(wanted, () => plan);
      let written: ReturnType<typeof writeArchive>;
      try {
        const now = clock.now().toISOString();
        written = writeArchive(
          store,
          path,
          scanned,
          plan,
          wanted,
          now,
          staged ?? startArchive(store, scanned, now, true),
        );
      } catch (error) {
        if (!isConstraintError(error)) throw error;
        throw new AppError(
          'VALIDATION',
          `The archive's data breaks a rule of the store (${(error as Error).message}). Nothing was imported.`,
        );
      }
      const pricesAdded = written.pricesAdded.length;
      audit.record(actor, {
        action: 'import.applied',
        orgId: written.orgId,
        target: { type: 'org', id: written.orgId },
        summary: {
          after: {
            slug: wanted,
            name: archive.org.name,
            from: { slug: archive.org.slug, exportedAt: archive.exportedAt },
            ...plan.counts,
            renamedHandles: plan.renamedHandles.length,
            skippedUsers: plan.skippedUsers.length,
            pricesAdded,
          },
        },
      });
      // A price set here as by prices.set, for every org's usage of its model: the trail says so,
      // as does the reason of an adjustment it causes to a closed month of that model's usage.
      for (const price of written.pricesAdded)
        audit.record(actor, {
          action: 'price.set',
          orgId: null,
          target: { type: 'model', id: price.model },
          summary: {
            after: priceSetAfter(price, price.rates),
            // Not `imported`, which marks the entries an archive's trail brought along.
            fromArchive: { slug: archive.org.slug, exportedAt: archive.exportedAt },
          },
        });
      const row = store.orgs.get(scope, written.orgId);
      if (!row) throw new Error('The imported organization is not visible to the session that imported it.');
      return { org: toOrg(row), plan, pricesAdded };
    });
  }
}

export type TransferService = ReturnType<typeof createTransferService>;

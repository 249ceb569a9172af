import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { KnowledgeDoc } from '../../../shared/contract/knowledge';
import type { TextExtractor } from '../knowledge/extract-text';
import type { Clock } from '../store/clock';
import { isProgramLimitExceeded } from '../store/engine-errors';
import type { OrgScope } from '../store/org-scope';
import type { DocRow, DocView } from '../store/repos/knowledge-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { liveOrg } from './live-org';
import type { Principal } from './principal';
import type { UploadsService } from './uploads-service';

type OrgRef = { id: string; slug: string; name: string };

/**
 * A document as `scope` may see it. Who an owner-org document is shared with names other clients,
 * so only those who see every org get the list; a client sees only who owns it (`org`).
 */
export function toDoc(view: DocView, scope: OrgScope): KnowledgeDoc {
  return {
    id: view.id,
    org: { id: view.org_id, slug: view.org_slug, name: view.org_name },
    title: view.title,
    sourceName: view.source_name,
    tags: JSON.parse(view.tags) as string[],
    size: view.size,
    author: view.author_label,
    createdAt: view.created_at,
    updatedAt: view.updated_at,
    sharing:
      view.is_owner_org && scope.seesAll
        ? { all: view.shared_with_all === 1, orgs: JSON.parse(view.shares) as OrgRef[] }
        : null,
  };
}

/** A search phrase as the words it searches for: letters and digits only, never query syntax. */
const termsOf = (query: string) =>
  query
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 12);

export function createKnowledgeService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  uploads: UploadsService,
  extractText: TextExtractor,
) {
  /**
   * Sharing with (or unsharing from) every org reaches orgs the caller may not see: only a caller
   * who sees them all may; others name the orgs.
   */
  function mustSeeEveryOrg(scope: OrgScope, doing: 'share' | 'stop sharing'): void {
    if (!scope.seesAll)
      throw new AppError(
        'FORBIDDEN',
        `Only an owner or admin can ${doing} a document with every organization. Name the organizations to ${doing} it with.`,
      );
  }

  /**
   * Writes a document's text, which PostgreSQL indexes for search as it stores it: an index of
   * more than 1 MB (a long document of many different words, such as a table of figures) is
   * refused there (SQLSTATE 54000), answered as what the user can change.
   */
  function storeText(write: () => void): void {
    try {
      write();
    } catch (error) {
      if (!isProgramLimitExceeded(error)) throw error;
      throw new AppError(
        'VALIDATION',
        'This document has too many different words to index for search here (PostgreSQL indexes at most 1 MB of each document): split it into smaller documents. Nothing was saved.',
        { issues: [{ path: ['body'], message: 'Too many different words to index' }] },
      );
    }
  }

  /** A document the scope may change: one of its own orgs'. Shared documents are read-only to clients. */
  function writable(scope: OrgScope, id: string): DocRow {
    const row = store.knowledge.row(id);
    if (!row || !scope.allows(row.org_id)) throw new AppError('NOT_FOUND', 'No such document.');
    // A deleted org's documents wait, unchanged, for it to be restored (as its policies do).
    const org = store.orgs.get(scope, row.org_id);
    if (org?.deleted_at) throw new AppError('CONFLICT', `${org.name} is deleted: restore it first.`);
    return row;
  }

  function view(id: string, scope: OrgScope): KnowledgeDoc {
    return toDoc(store.knowledge.view(id) as DocView, scope);
  }

  /** Rewrites the search entry with who may find the document now. */
  function reindex(id: string): void {
    const row = store.knowledge.row(id);
    if (row) store.knowledge.index(row);
  }

  function record(
    actor: Principal,
    action: string,
    doc: { id: string; org_id: string },
    summary: Record<string, unknown>,
  ) {
    audit.record(actor, { action, orgId: doc.org_id, target: { type: 'knowledge', id: doc.id }, summary });
  }

  function add(
    actor: Principal,
    scope: OrgScope,
    input: { orgId: string; title: string; body: string; tags?: string[] },
    sourceName = '',
  ) {
    liveOrg(store, scope, input.orgId);
    const now = clock.now().toISOString();
    const doc: DocRow = {
      id: randomUUID(),
      org_id: input.orgId,
      title: input.title,
      body: input.body,
      source_name: sourceName,
      tags: JSON.stringify([...new Set(input.tags ?? [])]),
      size: Buffer.byteLength(input.body),
      author_id: actor.userId,
      author_label: actor.label,
      shared_with_all: 0,
      created_at: now,
      updated_at: now,
    };
    store.transaction(() => {
      storeText(() => store.knowledge.insert(doc));
      reindex(doc.id);
      record(actor, 'knowledge.added', doc, {
        after: { title: doc.title, source: sourceName, size: doc.size },
      });
    });
    return view(doc.id, scope);
  }

  return {
    list(scope: OrgScope, orgId: string) {
      liveOrg(store, scope, orgId);
      return {
        own: store.knowledge.own(orgId).map((doc) => toDoc(doc, scope)),
        shared: store.knowledge.sharedWith(orgId).map((doc) => toDoc(doc, scope)),
      };
    },

    get(scope: OrgScope, id: string) {
      const row = store.knowledge.row(id);
      const own = row !== undefined && scope.allows(row.org_id);
      const readable = own || scope.limitedTo.some((orgId) => store.knowledge.isVisibleTo(id, orgId));
      if (!row || !readable) throw new AppError('NOT_FOUND', 'No such document.');
      // As the org's list and its policies: a deleted org's documents are out of sight until it is restored.
      if (own && store.orgs.get(scope, row.org_id)?.deleted_at)
        throw new AppError('NOT_FOUND', 'No such document.');
      return { ...view(id, scope), body: row.body, readOnly: !scope.allows(row.org_id) };
    },

    add: (actor: Principal, scope: OrgScope, input: ChannelParsedInput<'knowledge.add'>) =>
      add(actor, scope, input),

    async importFile(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'knowledge.importFile'>) {
      liveOrg(store, scope, input.orgId);
      const upload = uploads.take(actor, input.uploadId, 'knowledge');
      try {
        // The extractor refuses text over the contract's cap for typed documents, or it could not be edited.
        // Extracting takes seconds: other calls go on meanwhile, and the document is written after.
        const text = await store.outsideCall(() =>
          extractText(upload.path, upload.fileName, actor.userId ?? actor.label),
        );
        return add(
          actor,
          scope,
          { orgId: input.orgId, title: input.title ?? text.title, body: text.body, tags: input.tags },
          upload.fileName,
        );
      } finally {
        rmSync(upload.path, { force: true });
      }
    },

    update(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'knowledge.update'>) {
      return store.transaction(() => {
        const before = writable(scope, input.id);
        if (input.expectedUpdatedAt !== undefined && input.expectedUpdatedAt !== before.updated_at)
          throw new AppError(
            'CONFLICT',
            `“${before.title}” was changed while you edited it (at ${before.updated_at}, UTC): reload it, then make your change again. Nothing was saved.`,
          );
        const body = input.body ?? before.body;
        const after: DocRow = {
          ...before,
          title: input.title ?? before.title,
          body,
          tags: input.tags ? JSON.stringify([...new Set(input.tags)]) : before.tags,
          size: Buffer.byteLength(body),
          updated_at: clock.now().toISOString(),
        };
        storeText(() => store.knowledge.update(after));
        reindex(after.id);
        record(actor, 'knowledge.updated', after, {
          before: { title: before.title, size: before.size },
          after: { title: after.title, size: after.size },
        });
        return view(after.id, scope);
      });
    },

    move(actor: Principal, scope: OrgScope, id: string, orgId: string) {
      return store.transaction(() => {
        const before = writable(scope, id);
        const source = liveOrg(store, scope, before.org_id);
        const target = liveOrg(store, scope, orgId);
        if (target.id === before.org_id) return view(id, scope);
        // Only owner-org documents are shared: a document leaving the owner org stops being shared.
        if (!target.is_owner) store.knowledge.dropShares(id);
        const after: DocRow = {
          ...before,
          org_id: target.id,
          shared_with_all: target.is_owner ? before.shared_with_all : 0,
          updated_at: clock.now().toISOString(),
        };
        store.knowledge.update(after);
        reindex(id);
        audit.recordMove(actor, {
          action: 'knowledge.moved',
          target: { type: 'knowledge', id },
          named: { title: before.title },
          from: { id: source.id, label: source.slug },
          to: { id: target.id, label: target.slug },
        });
        return view(id, scope);
      });
    },

    delete(actor: Principal, scope: OrgScope, id: string) {
      store.transaction(() => {
        const before = writable(scope, id);
        store.knowledge.unindex(before.id);
        store.knowledge.remove(id);
        record(actor, 'knowledge.deleted', before, { before: { title: before.title } });
      });
    },

    share(actor: Principal, scope: OrgScope, id: string, orgs: 'all' | string[]) {
      return store.transaction(() => {
        const doc = writable(scope, id);
        if (store.knowledge.view(id)?.is_owner_org !== 1) {
          throw new AppError('FORBIDDEN', 'Only documents of the owner organization can be shared.');
        }
        if (orgs === 'all') {
          mustSeeEveryOrg(scope, 'share');
          store.knowledge.update({ ...doc, shared_with_all: 1, updated_at: clock.now().toISOString() });
        } else {
          for (const orgId of orgs) {
            const org = liveOrg(store, scope, orgId);
            if (org.is_owner)
              throw new AppError('VALIDATION', 'A document is shared with client organizations.');
            store.knowledge.addShare(id, orgId);
          }
        }
        reindex(id);
        record(actor, 'knowledge.shared', doc, { after: { with: orgs } });
        return view(id, scope);
      });
    },

    unshare(actor: Principal, scope: OrgScope, id: string, orgs?: string[]) {
      return store.transaction(() => {
        const doc = writable(scope, id);
        // As share: named orgs the caller sees, or every org by a caller who sees them all (who may
        // also drop a share with an org deleted since).
        if (orgs)
          for (const orgId of orgs)
            store.knowledge.dropShare(id, scope.seesAll ? orgId : liveOrg(store, scope, orgId).id);
        else {
          mustSeeEveryOrg(scope, 'stop sharing');
          store.knowledge.dropShares(id);
          store.knowledge.update({ ...doc, shared_with_all: 0, updated_at: clock.now().toISOString() });
        }
        reindex(id);
        record(actor, 'knowledge.unshared', doc, { after: { from: orgs ?? 'all' } });
        return view(id, scope);
      });
    },

    /**
     * One org's view (its documents and those shared with it), or, without orgId, that of every
     * org the scope holds: the same reach tokens, only for more orgs, so isolation is the index's.
     */
    search(scope: OrgScope, orgId: string | undefined, query: string, limit: number) {
      if (orgId !== undefined) liveOrg(store, scope, orgId);
      const orgIds =
        orgId !== undefined ? [orgId] : store.orgs.list(scope, { status: 'current' }).map((org) => org.id);
      const terms = termsOf(query);
      if (terms.length === 0 || orgIds.length === 0) return [];
      const hits = store.knowledge.search(terms, orgIds, limit);
      const searched = new Set(orgIds);
      return hits.map((hit) => {
        const doc = view(hit.id, scope);
        return { doc, title: hit.title, snippet: hit.snippet, shared: !searched.has(doc.org.id) };
      });
    },

    visibleToAgent(scope: OrgScope, agentId: string) {
      const agent = store.agents.get(scope, agentId);
      if (!agent) throw new AppError('NOT_FOUND', 'No such agent.');
      if (!agent.org_id || !agent.org_slug || !agent.org_name) return { org: null, docs: [] };
      const own = store.knowledge.own(agent.org_id).map((doc) => ({ ...toDoc(doc, scope), shared: false }));
      const shared = store.knowledge
        .sharedWith(agent.org_id)
        .map((doc) => ({ ...toDoc(doc, scope), shared: true }));
      return {
        org: { id: agent.org_id, slug: agent.org_slug, name: agent.org_name },
        docs: [...own, ...shared],
      };
    },

    overview(scope: OrgScope) {
      if (!scope.seesAll) throw new AppError('FORBIDDEN', 'The knowledge overview is for owners and admins.');
      const counts = new Map(store.knowledge.counts().map((row) => [row.org_id, row.n]));
      return {
        orgs: store.orgs
          .list(scope, { status: 'current' })
          .map((org) => ({ id: org.id, slug: org.slug, name: org.name, documents: counts.get(org.id) ?? 0 })),
        shared: store.knowledge.sharedAny().map((doc) => toDoc(doc, scope)),
      };
    },
  };
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;

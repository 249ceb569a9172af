import type { ChannelInput } from '../../../../shared/contract';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';

type Sharing = NonNullable<KnowledgeDoc['sharing']>;

export type SharingChoice = { mode: 'none' } | { mode: 'all' } | { mode: 'chosen'; orgIds: string[] };

export type SharingCall =
  | ['knowledge.share', ChannelInput<'knowledge.share'>]
  | ['knowledge.unshare', ChannelInput<'knowledge.unshare'>];

/** "All client organizations", "Acme Corp, Globex" or "Not shared"; in a table, "5 organizations" past two. */
export function sharingLabel(sharing: Sharing, { short = false } = {}): string {
  if (sharing.all) return 'All client organizations';
  if (sharing.orgs.length === 0) return 'Not shared';
  if (short && sharing.orgs.length > 2) return `${sharing.orgs.length} organizations`;
  return sharing.orgs.map((org) => org.name).join(', ');
}

export function choiceOf(sharing: Sharing): SharingChoice {
  if (sharing.all) return { mode: 'all' };
  if (sharing.orgs.length === 0) return { mode: 'none' };
  return { mode: 'chosen', orgIds: sharing.orgs.map((org) => org.id) };
}

/**
 * The share and unshare calls that turn a document's sharing into the chosen one. Unsharing with
 * no orgs named clears everything, "all" included, so leaving "all" for chosen orgs clears first.
 */
export function sharingCalls(id: string, current: Sharing, next: SharingChoice): SharingCall[] {
  const named = current.orgs.map((org) => org.id);
  switch (next.mode) {
    case 'none':
      return current.all || named.length > 0 ? [['knowledge.unshare', { id }]] : [];
    case 'all':
      return [
        ...(current.all ? [] : [['knowledge.share', { id, orgs: 'all' }] as SharingCall]),
        ...(named.length > 0 ? [['knowledge.unshare', { id, orgs: named }] as SharingCall] : []),
      ];
    case 'chosen': {
      if (current.all) {
        return [
          ['knowledge.unshare', { id }],
          ['knowledge.share', { id, orgs: next.orgIds }],
        ];
      }
      const added = next.orgIds.filter((orgId) => !named.includes(orgId));
      const removed = named.filter((orgId) => !next.orgIds.includes(orgId));
      return [
        ...(added.length > 0 ? [['knowledge.share', { id, orgs: added }] as SharingCall] : []),
        ...(removed.length > 0 ? [['knowledge.unshare', { id, orgs: removed }] as SharingCall] : []),
      ];
    }
  }
}

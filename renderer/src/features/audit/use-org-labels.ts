import { useMemo } from 'react';
import { useOrgs } from '../orgs/queries';
import type { OrgLabel } from './AuditTable';

/**
 * The orgs the session may see, deleted ones too (their trail stays), by id, and as filter
 * options. Entries of an org purged since name no org here.
 */
export function useOrgLabels() {
  const current = useOrgs('');
  const deleted = useOrgs('', 'deleted');
  return useMemo(() => {
    const orgs = [...(current.data ?? []), ...(deleted.data ?? [])];
    const labels = new Map<string, OrgLabel>(
      orgs.map((org) => [org.id, { name: org.name, slug: org.slug, timezone: org.timezone }]),
    );
    const options = orgs.map((org) => ({
      value: org.id,
      label: org.status === 'deleted' ? `${org.name} (deleted)` : org.name,
    }));
    return { labels, options, pending: current.isPending };
  }, [current.data, deleted.data, current.isPending]);
}

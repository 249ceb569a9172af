import type { Org } from '../../../shared/contract/orgs';
import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { useOrgs } from '../features/orgs/queries';
import { ALL_ORGS, useUiStore } from './ui-store';

export interface SwitcherOrg {
  /** The org the pages cover; undefined for every org the session sees. Known before the list loads. */
  id: string | undefined;
  /** That org, once the org list has loaded; null for every org. */
  org: Org | null;
  name: string | null;
  /** A bound user's org: set by the server, not chosen in the switcher. */
  locked: boolean;
  /** A chosen org whose existence waits on the org list: pages wait rather than show every org. */
  pending: boolean;
  /** The orgs the switcher offers (the session's current orgs). */
  orgs: Org[] | undefined;
  orgsQuery: ReturnType<typeof useOrgs>;
  select(orgId: string): void;
}

/**
 * The one answer to "which org is selected", for every page and the switcher itself.
 * The rule: an owner, admin or billing admin has the org chosen in the switcher while it is still
 * listed, and every org otherwise (none chosen, or deleted since); a user has the chosen org while
 * they hold it, else the first they hold, and is locked to it when they hold just one.
 */
export function useSwitcherOrg(user: SessionUser): SwitcherOrg {
  const orgsQuery = useOrgs('');
  const chosen = useUiStore((state) => state.orgByUser[user.id] ?? ALL_ORGS);
  const selectOrg = useUiStore((state) => state.selectOrg);
  const orgs = orgsQuery.data;
  const base = { orgs, orgsQuery, select: (orgId: string) => selectOrg(user.id, orgId) };
  if (!seesAllOrgs(user.role)) {
    const held = user.memberships.map((membership) => membership.orgId);
    const id = held.includes(chosen) ? chosen : held[0];
    const org = orgs?.find((candidate) => candidate.id === id) ?? null;
    return {
      ...base,
      id,
      org,
      name: org?.name ?? null,
      locked: held.length <= 1,
      pending: !!id && !orgs,
    };
  }
  if (chosen === ALL_ORGS)
    return { ...base, id: undefined, org: null, name: null, locked: false, pending: false };
  if (!orgs) return { ...base, id: chosen, org: null, name: null, locked: false, pending: true };
  const org = orgs.find((candidate) => candidate.id === chosen) ?? null;
  return { ...base, id: org?.id, org, name: org?.name ?? null, locked: false, pending: false };
}

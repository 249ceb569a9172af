import { useEffect } from 'react';
import type { Org } from '../../../shared/contract/orgs';
import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { useOrgs } from '../features/orgs/queries';
import { ALL_ORGS, useUiStore } from './ui-store';
import { type UrlPatch, useUrlState } from './use-url-state';

/**
 * The address's key for the selected org: its slug, or "all" (`#/agents?in=acme-logistics`). Not
 * `org`, which the Audit page's filter already takes, by id.
 */
export const ORG_PARAM = 'in';

/** The address patch that selects an org (by slug) or every org, for links that carry the choice. */
export const orgParam = (org: Pick<Org, 'slug'> | null): UrlPatch => ({ [ORG_PARAM]: org?.slug ?? ALL_ORGS });

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
 * Whether the pages cover every org, as far as is known before the org list loads: an owner's or
 * admin's "all", named in the address or else last chosen (or never chosen). The same rule as
 * useSwitcherOrg's, for loading a page's data before anything renders.
 */
export function showsAllOrgs(user: SessionUser, params: URLSearchParams): boolean {
  if (!seesAllOrgs(user.role)) return false;
  return (params.get(ORG_PARAM) ?? useUiStore.getState().orgByUser[user.id] ?? ALL_ORGS) === ALL_ORGS;
}

/**
 * The one answer to "which org is selected", for every page and the switcher itself.
 * The rule: an owner, admin or billing admin has the org chosen in the switcher while it is still
 * listed, and every org otherwise (none chosen, or deleted since); a user has the chosen org while
 * they hold it, else the first they hold, and is locked to it when they hold just one.
 * The choice lives in the address too (`?in=acme-logistics`, or `all`), so a reload, Back or a
 * pasted link shows the same org; an address without one shows the user's last choice.
 */
export function useSwitcherOrg(user: SessionUser): SwitcherOrg {
  const orgsQuery = useOrgs('');
  const stored = useUiStore((state) => state.orgByUser[user.id] ?? ALL_ORGS);
  const selectOrg = useUiStore((state) => state.selectOrg);
  const [params, update] = useUrlState();
  const orgs = orgsQuery.data;
  const named = params.get(ORG_PARAM);
  // The address names an org by slug (or by id, in older links); it waits on the list to be known.
  const fromAddress =
    named === null || named === ALL_ORGS
      ? named
      : (orgs?.find((org) => org.slug === named || org.id === named)?.id ?? (orgs ? null : named));
  const chosen = fromAddress ?? stored;
  const waitsOnAddress = named !== null && named !== ALL_ORGS && !orgs;
  // A link's org becomes the user's choice, so the next page opened keeps it.
  useEffect(() => {
    if (fromAddress && !waitsOnAddress && fromAddress !== stored) selectOrg(user.id, fromAddress);
  }, [fromAddress, waitsOnAddress, stored, selectOrg, user.id]);
  const select = (orgId: string) => {
    selectOrg(user.id, orgId);
    update(orgParam(orgs?.find((org) => org.id === orgId) ?? null));
  };
  const base = { orgs, orgsQuery, select };
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
      pending: (!!id && !orgs) || waitsOnAddress,
    };
  }
  if (chosen === ALL_ORGS)
    return { ...base, id: undefined, org: null, name: null, locked: false, pending: false };
  if (!orgs || waitsOnAddress)
    return {
      ...base,
      id: waitsOnAddress ? undefined : chosen,
      org: null,
      name: null,
      locked: false,
      pending: true,
    };
  const org = orgs.find((candidate) => candidate.id === chosen) ?? null;
  return { ...base, id: org?.id, org, name: org?.name ?? null, locked: false, pending: false };
}

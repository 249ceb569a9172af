import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { useOrgs } from '../features/orgs/queries';
import { ALL_ORGS, useUiStore } from './ui-store';

export interface SwitcherOrg {
  /** The org a page covers; undefined for every org the session sees. */
  id: string | undefined;
  name: string | null;
}

/**
 * What the switcher selects: one org or all for console roles; for a user, one of the orgs they
 * hold (the first until they pick another), and always the one when they hold just one.
 */
export function useSwitcherOrg(user: SessionUser): SwitcherOrg {
  const orgs = useOrgs('');
  const selected = useUiStore((state) => state.orgByUser[user.id] ?? ALL_ORGS);
  if (!seesAllOrgs(user.role)) {
    const held = user.memberships.map((membership) => membership.orgId);
    const id = held.includes(selected) ? selected : held[0];
    return { id, name: orgs.data?.find((org) => org.id === id)?.name ?? null };
  }
  if (selected === ALL_ORGS) return { id: undefined, name: null };
  if (!orgs.data) return { id: selected, name: null };
  // A selection that no longer lists (deleted since) falls back to every org, as the switcher shows.
  const org = orgs.data.find((candidate) => candidate.id === selected);
  return org ? { id: org.id, name: org.name } : { id: undefined, name: null };
}

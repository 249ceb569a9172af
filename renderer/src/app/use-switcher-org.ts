import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { useOrgs } from '../features/orgs/queries';
import { ALL_ORGS, useUiStore } from './ui-store';

export interface SwitcherOrg {
  /** The org a page covers; undefined for every org the session sees. */
  id: string | undefined;
  name: string | null;
}

/** What the switcher selects: one org or all; a bound user always their own org. */
export function useSwitcherOrg(user: SessionUser): SwitcherOrg {
  const orgs = useOrgs('');
  const selected = useUiStore((state) => state.orgByUser[user.id] ?? ALL_ORGS);
  if (!seesAllOrgs(user.role)) {
    const own = orgs.data?.find((org) => org.id === user.boundOrgId);
    return { id: user.boundOrgId ?? undefined, name: own?.name ?? null };
  }
  if (selected === ALL_ORGS) return { id: undefined, name: null };
  if (!orgs.data) return { id: selected, name: null };
  // A selection that no longer lists (deleted since) falls back to every org, as the switcher shows.
  const org = orgs.data.find((candidate) => candidate.id === selected);
  return org ? { id: org.id, name: org.name } : { id: undefined, name: null };
}

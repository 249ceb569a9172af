import { seesAllOrgs } from '../../../shared/domain/permissions';
import type { Principal } from '../services/principal';
import { OrgScope } from '../store/org-scope';

const NOTHING = OrgScope.mint(new Set());

/** The only place OrgScopes are made: from the principal the session resolved to. */
export function scopeFor(principal: Principal | null): OrgScope {
  if (!principal) return NOTHING;
  if (seesAllOrgs(principal.role)) return OrgScope.mint('all');
  return principal.boundOrgId ? OrgScope.mint(new Set([principal.boundOrgId])) : NOTHING;
}

import { orgsAllowing, type Permission } from '../../../shared/domain/permissions';
import type { Principal } from '../services/principal';
import { OrgScope } from '../store/org-scope';

const NOTHING = OrgScope.mint(new Set());

/**
 * The only place OrgScopes are made: the orgs in which the principal holds the permission the
 * channel needs, so the role in effect is always that of the org a request targets.
 */
export function scopeFor(principal: Principal | null, permission: Permission): OrgScope {
  if (!principal) return NOTHING;
  return OrgScope.mint(orgsAllowing(principal, permission));
}

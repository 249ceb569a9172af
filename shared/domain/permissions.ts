export const ROLES = ['owner', 'admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a channel requires. `public` needs no session; `session` any signed-in user; the rest are
 * granted per role below. Org visibility is a separate axis (the session's OrgScope).
 */
export const PERMISSIONS = ['public', 'session', 'orgs.read', 'orgs.manage'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(['session', 'orgs.read', 'orgs.manage']),
  admin: new Set(['session', 'orgs.read', 'orgs.manage']),
  user: new Set(['session', 'orgs.read']),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return permission === 'public' || GRANTS[role].has(permission);
}

/** Owners and admins see every org; a user sees only the org they are bound to. */
export function seesAllOrgs(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

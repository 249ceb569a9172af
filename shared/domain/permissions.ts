export const ROLES = ['owner', 'admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** The pages a `user` may be granted; owners and admins open every page. */
export const PAGES = ['agents', 'knowledge', 'billing', 'guardrails', 'audit', 'settings'] as const;
export type Page = (typeof PAGES)[number];

/**
 * What a channel requires. `public` needs no session; `session` any signed-in user; `page.*` a
 * page the user may open; the rest are granted per role. Which orgs a request may touch is a
 * separate axis: the session's OrgScope.
 */
export const PERMISSIONS = [
  'public',
  'session',
  'orgs.read',
  'orgs.manage',
  'orgs.delete',
  'users.manage',
  'settings.manage',
  'billing.manage',
  'ownership.transfer',
  'backups.restore',
  ...PAGES.map((page) => `page.${page}` as const),
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  // Restoring replaces every org's data and every account, owner included: an admin could bring
  // back a store in which they were the owner, or undo a deletion only the owner may make.
  admin: new Set(
    PERMISSIONS.filter((p) => p !== 'orgs.delete' && p !== 'ownership.transfer' && p !== 'backups.restore'),
  ),
  user: new Set(['public', 'session', 'orgs.read']),
};

export interface Grantee {
  role: Role;
  pages: readonly Page[];
}

export function allows(who: Grantee, permission: Permission): boolean {
  if (ROLE_GRANTS[who.role].has(permission)) return true;
  return permission.startsWith('page.') && who.pages.includes(permission.slice('page.'.length) as Page);
}

/** Owners and admins see every org, whatever binding they have; a user sees only the org they are bound to. */
export function seesAllOrgs(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * Who may date a change in the past (an assignment, a price): that rewrites history that may
 * already be billed, so it is for the console's owners and admins only, whatever else a role grants.
 */
export function mayBackdate(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** The pages a session may open: all for owners and admins, the granted ones for users. */
export function openablePages(who: Grantee): Page[] {
  return PAGES.filter((page) => allows(who, `page.${page}`));
}

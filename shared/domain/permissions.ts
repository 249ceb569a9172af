/**
 * Console-wide roles. `owner`, `admin` and `billing_admin` act on every org; everyone else is a
 * `user`, whose access is a set of memberships, each an (org, membership role) pair.
 */
export const ROLES = ['owner', 'admin', 'billing_admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** The role a `user` holds in one org (or, for staff serving every client, in every client org). */
export const MEMBERSHIP_ROLES = ['manager', 'member', 'viewer', 'billing'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** The pages a `user` may be granted: a further narrowing of what their memberships allow. */
export const PAGES = ['agents', 'knowledge', 'billing', 'guardrails', 'audit', 'settings'] as const;
export type Page = (typeof PAGES)[number];

/** Permissions that hold for the whole console: only console roles have them, never a membership. */
const CONSOLE_PERMISSIONS = [
  'public',
  'session',
  'orgs.manage',
  // Editing an org: its details need orgs.manage, its rate, billing mode and budget billing.manage.
  'orgs.edit',
  'orgs.delete',
  'users.manage',
  'settings.manage',
  // Money: prices, rates and overrides, billing mode, budgets, usage import, and every cost or margin.
  'billing.manage',
  'billing.read',
  // Closing a month (issuing numbered statements) and voiding a statement: owners and admins.
  'statements.manage',
  'ownership.transfer',
  'backups.restore',
] as const;

/** Permissions held per org: console roles hold them in every org, a membership in its org. */
export const ORG_PERMISSIONS = [
  'orgs.read',
  'agents.read',
  'agents.manage',
  'knowledge.read',
  'knowledge.edit',
  'policies.read',
  'policies.manage',
  'audit.read',
  'members.manage',
  // An org's issued statements and its usage as charged: never the MSP's cost or margin.
  'statements.read',
] as const;
export type OrgPermission = (typeof ORG_PERMISSIONS)[number];

/**
 * What a channel requires. `public` needs no session; `session` any signed-in user. Which orgs a
 * request may touch is the OrgScope, minted from the orgs where the caller holds the permission.
 */
export const PERMISSIONS = [...CONSOLE_PERMISSIONS, ...ORG_PERMISSIONS] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The page a per-org permission belongs to: a `user` needs that page too. */
const PERMISSION_PAGE: Partial<Record<Permission, Page>> = {
  'agents.read': 'agents',
  'agents.manage': 'agents',
  'knowledge.read': 'knowledge',
  'knowledge.edit': 'knowledge',
  'policies.read': 'guardrails',
  'policies.manage': 'guardrails',
  'audit.read': 'audit',
  'statements.read': 'billing',
};

const EVERYTHING_BUT = (...left: Permission[]) => new Set(PERMISSIONS.filter((p) => !left.includes(p)));

/** The matrix: what each console role may do (in every org), and what each membership role may do in its org. */
export const ROLE_GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  // Restoring replaces every org's data and every account, owner included: an admin could bring
  // back a store in which they were the owner, or undo a deletion only the owner may make.
  admin: EVERYTHING_BUT('orgs.delete', 'ownership.transfer', 'backups.restore'),
  billing_admin: new Set<Permission>([
    'public',
    'session',
    'orgs.edit',
    'billing.manage',
    'billing.read',
    'orgs.read',
    'agents.read',
    'statements.read',
  ]),
  user: new Set<Permission>(['public', 'session']),
};

export const MEMBERSHIP_GRANTS: Record<MembershipRole, ReadonlySet<OrgPermission>> = {
  manager: new Set(ORG_PERMISSIONS),
  member: new Set<OrgPermission>([
    'orgs.read',
    'agents.read',
    'knowledge.read',
    'knowledge.edit',
    'policies.read',
    'audit.read',
  ]),
  viewer: new Set<OrgPermission>([
    'orgs.read',
    'agents.read',
    'knowledge.read',
    'policies.read',
    'audit.read',
  ]),
  // The org's statements and usage: what it is charged, never the MSP's cost or margin.
  billing: new Set<OrgPermission>(['orgs.read', 'statements.read']),
};

/** The membership roles a manager may give or take away in their own org. */
export const MANAGER_ASSIGNABLE: readonly MembershipRole[] = ['member', 'viewer', 'billing'];

export interface Membership {
  orgId: string;
  role: MembershipRole;
}

export interface Grantee {
  role: Role;
  pages: readonly Page[];
  /** Every org the user holds, an "every client org" membership already expanded to each client org. */
  memberships: readonly Membership[];
}

const isOrgPermission = (permission: Permission): permission is OrgPermission =>
  (ORG_PERMISSIONS as readonly string[]).includes(permission);

function membershipAllows(who: Grantee, role: MembershipRole, permission: Permission): boolean {
  if (!isOrgPermission(permission) || !MEMBERSHIP_GRANTS[role].has(permission)) return false;
  const page = PERMISSION_PAGE[permission];
  return page === undefined || who.pages.includes(page);
}

/** Whether the caller holds the permission in the given org: the role in effect is that org's. */
export function allowsIn(who: Grantee, permission: Permission, orgId: string): boolean {
  if (ROLE_GRANTS[who.role].has(permission)) return true;
  const held = who.memberships.find((membership) => membership.orgId === orgId);
  return held !== undefined && membershipAllows(who, held.role, permission);
}

/** Whether the caller holds the permission anywhere (the router's first check). */
export function allows(who: Grantee, permission: Permission): boolean {
  if (ROLE_GRANTS[who.role].has(permission)) return true;
  return who.memberships.some((membership) => membershipAllows(who, membership.role, permission));
}

/**
 * Whether the router lets the call through to be scoped: the permission held somewhere, or the
 * org list, which every session may ask for (a user who holds no org gets an empty one).
 */
export function mayCall(who: Grantee, permission: Permission): boolean {
  return permission === 'orgs.read' || allows(who, permission);
}

/** The orgs in which the caller holds the permission: every org for a console role that has it. */
export function orgsAllowing(who: Grantee, permission: Permission): 'all' | ReadonlySet<string> {
  if (ROLE_GRANTS[who.role].has(permission)) return 'all';
  return new Set(
    who.memberships.filter((m) => membershipAllows(who, m.role, permission)).map((m) => m.orgId),
  );
}

/** Owners, admins and billing admins see every org; a user sees the orgs they hold. */
export function seesAllOrgs(role: Role): boolean {
  return role !== 'user';
}

/**
 * Who may date a change in the past (an assignment, a price): that rewrites history that may
 * already be billed, so it is for the console's owners and admins only, whatever else a role grants.
 */
export function mayBackdate(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** The pages a session may open. */
export function openablePages(who: Grantee): Page[] {
  // Billing opens as the MSP's margins (billing.read) or as an org's own statements (statements.read).
  const opens: Record<Page, Permission[]> = {
    agents: ['agents.read'],
    knowledge: ['knowledge.read'],
    billing: ['billing.read', 'statements.read'],
    guardrails: ['policies.read'],
    audit: ['audit.read'],
    settings: ['settings.manage'],
  };
  return PAGES.filter((page) => opens[page].some((permission) => allows(who, permission)));
}

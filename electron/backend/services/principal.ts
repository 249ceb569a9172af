import type { Page, Role } from '../../../shared/domain/permissions';

/** Who a request acts as, resolved by the router from the transport's session. */
export interface Principal {
  /** null for the local owner of the data directory (the CLI). */
  userId: string | null;
  /** How the audit trail names the actor. */
  label: string;
  role: Role;
  /** Only set for a `user` whose org exists; owners and admins are never limited by a binding. */
  boundOrgId: string | null;
  pages: Page[];
}

export const LOCAL_OWNER: Principal = {
  userId: null,
  label: 'local owner (CLI)',
  role: 'owner',
  boundOrgId: null,
  pages: [],
};

/** The caller of a public channel who has not signed in: sees no org and may do nothing else. */
export const ANONYMOUS: Principal = {
  userId: null,
  label: 'anonymous',
  role: 'user',
  boundOrgId: null,
  pages: [],
};

import type { Membership, Page, Role } from '../../../shared/domain/permissions';

/** Who a request acts as, resolved by the router from the transport's session on every call. */
export interface Principal {
  /** null for the local owner of the data directory (the CLI). */
  userId: string | null;
  /** How the audit trail names the actor. */
  label: string;
  role: Role;
  /** The live orgs a `user` holds, with the role in each; empty for console roles, who hold every org. */
  memberships: Membership[];
  pages: Page[];
  /** Two-factor sign-in is required and this user has none: only enrolling is open to them. */
  mustEnrolTwoFactor: boolean;
}

export const LOCAL_OWNER: Principal = {
  userId: null,
  label: 'local owner (CLI)',
  role: 'owner',
  memberships: [],
  pages: [],
  mustEnrolTwoFactor: false,
};

/** The caller of a public channel who has not signed in: sees no org and may do nothing else. */
export const ANONYMOUS: Principal = {
  userId: null,
  label: 'anonymous',
  role: 'user',
  memberships: [],
  pages: [],
  mustEnrolTwoFactor: false,
};

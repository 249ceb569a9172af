import type { Role } from '../../../shared/domain/permissions';

/** Who a request acts as, resolved by the router from the transport's session. */
export interface Principal {
  /** null for the local owner of the data directory (the CLI). */
  userId: string | null;
  role: Role;
  boundOrgId: string | null;
}

export const LOCAL_OWNER: Principal = { userId: null, role: 'owner', boundOrgId: null };

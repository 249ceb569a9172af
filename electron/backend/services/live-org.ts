import { AppError } from '../../../shared/contract/envelope';
import type { OrgScope } from '../store/org-scope';
import type { OrgWithCounts } from '../store/repos/orgs-repo';
import type { Store } from '../store/store';

/**
 * An org this scope may see and that is not deleted. Absent and not-yours give the same
 * NOT_FOUND, so another tenant's ids do not leak.
 */
export function liveOrg(store: Store, scope: OrgScope, id: string): OrgWithCounts {
  const org = store.orgs.get(scope, id);
  if (!org || org.deleted_at) throw new AppError('NOT_FOUND', 'No such organization.');
  return org;
}

import { allows } from '../../../../shared/domain/permissions';
import type { HomeService } from '../../services/home-service';
import type { HandlerGroup } from '../handler';

export function homeHandlers(home: HomeService): HandlerGroup {
  return {
    // Import jobs are billing.manage's to see (jobs.list): others get the figures without them.
    'home.attention': ({ month, org }, { principal, scope }) =>
      home.attention(scope, { month, orgId: org }, allows(principal, 'billing.manage')),
  };
}

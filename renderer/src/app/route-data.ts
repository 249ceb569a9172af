import type { QueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../../shared/contract/session';
import { allows, seesAllOrgs } from '../../../shared/domain/permissions';
import { currentMonth } from '../features/billing/months';
import { marginsQuery, pricesQuery, trendQuery } from '../features/billing/queries';
import { addressMonth } from '../features/billing/use-billing-month';
import { attentionQuery } from '../features/home/queries';
import { orgQuery } from '../features/orgs/queries';
import { settingsQuery } from '../features/settings/queries';
import { tokensQuery } from '../features/tokens/queries';
import { usersQuery } from '../features/users/queries';
import { splitAddress } from './address';
import { currentAddress, type Route } from './routes';
import { showsAllOrgs } from './use-switcher-org';

/**
 * Asks for the first data a page shows, with the same queries (keys and inputs) the page will
 * use, while its code still loads: the page then renders with its data instead of asking after.
 * Only what the address and the session settle alone: a page whose input waits on other data (the
 * org list for a chosen org) asks for itself, as it would anyway.
 */
export function prefetchRouteData(client: QueryClient, route: Route, user: SessionUser): void {
  const { params } = splitAddress(currentAddress());
  switch (route.name) {
    case 'home':
      // With an org chosen, Home waits for the org list to know its id, as the page does.
      if (allows(user, 'billing.read') && showsAllOrgs(user, params))
        void client.prefetchQuery(attentionQuery(route.month ?? currentMonth(), undefined));
      return;
    case 'org':
      void client.prefetchQuery(orgQuery(route.orgId));
      return;
    case 'billing': {
      if (!allows(user, 'billing.read')) return;
      const tab = allows(user, 'billing.manage') ? route.tab : 'margins';
      if (tab === 'prices') void client.prefetchQuery(pricesQuery);
      if (tab === 'margins' && showsAllOrgs(user, params)) {
        const month = addressMonth(params) ?? currentMonth();
        void client.prefetchQuery(marginsQuery(month));
        void client.prefetchQuery(trendQuery(month));
      }
      return;
    }
    case 'users':
      if (allows(user, 'users.manage')) void client.prefetchQuery(usersQuery(''));
      return;
    case 'settings':
      if (allows(user, 'settings.manage')) void client.prefetchQuery(settingsQuery);
      return;
    case 'tokens':
      if (route.userId === null || route.userId === user.id) void client.prefetchQuery(tokensQuery(null));
      else if (seesAllOrgs(user.role)) void client.prefetchQuery(tokensQuery(route.userId));
      return;
    default:
      return;
  }
}

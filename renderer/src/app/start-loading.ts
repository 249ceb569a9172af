import type { QueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../../shared/contract/session';
import { orgsListQuery } from '../features/orgs/queries';
import { currentSessionQuery, takePageSession } from '../features/session/queries';
import { preloadPage } from './CurrentPage';
import { prefetchRouteData } from './route-data';
import type { Route } from './routes';

/**
 * Starts what the first screen waits on before React renders it, each as soon as what it needs is
 * known: the page's code at once, and the session (written into the page by `orgdeck serve`, else
 * asked), then the data every signed-in screen shows and the page's own (route-data.ts). A cold
 * start then waits on the longest of these rather than on one after the other.
 */
export async function startLoading(client: QueryClient, route: Route): Promise<void> {
  preloadPage(route);
  const pageSession = takePageSession();
  if (pageSession) client.setQueryData(currentSessionQuery.queryKey, pageSession);
  let user: SessionUser | null;
  try {
    // The default retries, as the session screen's own query would have had.
    user = (
      pageSession ??
      (await client.fetchQuery({ ...currentSessionQuery, retry: client.getDefaultOptions().queries?.retry }))
    ).user;
  } catch {
    // The session screen shows the failure (and a retry) from the same query.
    return;
  }
  if (!user || user.mustEnrolTwoFactor) return;
  void client.prefetchQuery(orgsListQuery(''));
  prefetchRouteData(client, route, user);
}

import type { QueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../../shared/contract/session';
import { orgsListQuery } from '../features/orgs/queries';
import { currentSessionQuery, takePageSession } from '../features/session/queries';
import { preloadPage } from './CurrentPage';
import { prefetchRouteData } from './route-data';
import type { Route } from './routes';

/**
 * Starts what the first screen waits on before React renders it, each as soon as what it needs is
 * known: the session (written into the page by `orgdeck serve`, else asked), the data every
 * signed-in screen shows and the page's own (route-data.ts), and the page's code. A cold start then
 * waits on the longest of these rather than on one after the other. Settles once the page's code is
 * in (never rejects: the page itself shows a failed load).
 */
export function startLoading(client: QueryClient, route: Route): Promise<unknown> {
  const pageSession = takePageSession();
  if (pageSession) {
    client.setQueryData(currentSessionQuery.queryKey, pageSession);
    // The data before the code: a browser opens six connections to a server, and the page's code
    // (a few dozen files) would hold all six while the data's requests waited behind them.
    prefetchFor(client, route, pageSession.user);
    return settled(preloadPage(route));
  }
  const pageCode = settled(preloadPage(route));
  void prefetchOnceSignedIn(client, route);
  return pageCode;
}

const settled = (loading: Promise<unknown>) => loading.catch(() => undefined);

async function prefetchOnceSignedIn(client: QueryClient, route: Route): Promise<void> {
  let user: SessionUser | null;
  try {
    // The default retries, as the session screen's own query would have had.
    user = (
      await client.fetchQuery({ ...currentSessionQuery, retry: client.getDefaultOptions().queries?.retry })
    ).user;
  } catch {
    // The session screen shows the failure (and a retry) from the same query.
    return;
  }
  prefetchFor(client, route, user);
}

/** The data of a signed-in screen: what every one shows, and the page's own. */
function prefetchFor(client: QueryClient, route: Route, user: SessionUser | null): void {
  if (!user || user.mustEnrolTwoFactor) return;
  void client.prefetchQuery(orgsListQuery(''));
  prefetchRouteData(client, route, user);
}

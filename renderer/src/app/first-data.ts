import type { QueryClient } from '@tanstack/react-query';

/**
 * How long the first render waits for the data start-up asked for, once the page's code is in. A
 * page rendered before its data shows its skeleton, then renders again when the data lands: two
 * render passes of the page (70–130 ms each on a 2-core machine) instead of one, for data that
 * is usually a few ms away. Past this, a slow answer shows the skeleton rather than a blank window.
 */
export const FIRST_DATA_WAIT_MS = 150;

/**
 * Settles once no query of `client` is fetching, or after `waitMs`, whichever comes first. An
 * answer can start the next fetch (the org's margins, once the org's id is known) in its promise's
 * continuations, which run after the cache has told its listeners: so "none fetching" is looked at
 * again a task later, when those have run.
 */
export function whenFirstDataIn(client: QueryClient, waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const lookAgainSoon = () => {
      if (!settled && client.isFetching() === 0) setTimeout(() => client.isFetching() === 0 && done(), 0);
    };
    const timer = setTimeout(done, waitMs);
    const unsubscribe = client.getQueryCache().subscribe(lookAgainSoon);
    lookAgainSoon();
  });
}

/** A hash route's address ("/billing?month=2025-12") as a path and its query: pure, no window. */

/** A patch of the address's query: a value sets its key, null or '' removes it. */
export type UrlPatch = Record<string, string | null | undefined>;

export function splitAddress(address: string): { path: string; params: URLSearchParams } {
  const cut = address.indexOf('?');
  return cut < 0
    ? { path: address, params: new URLSearchParams() }
    : { path: address.slice(0, cut), params: new URLSearchParams(address.slice(cut + 1)) };
}

/** The address after `patch`: the same page, its other keys kept. */
export function patchedAddress(address: string, patch: UrlPatch): string {
  const { path, params } = splitAddress(address);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { patchedAddress, splitAddress, type UrlPatch } from './address';
import { currentAddress, replacePath, useRoutePath } from './routes';

export type { UrlPatch };

/**
 * The one place a page keeps its view (sort, filters, month, selected org) in the address: the
 * hash route's query. Changes replace the history entry rather than add one, so Back leaves the
 * page instead of stepping through each click, and a reload or a pasted link shows the same view.
 */
export function useUrlState(): [URLSearchParams, (patch: UrlPatch) => void] {
  const address = useRoutePath();
  const update = useCallback((patch: UrlPatch) => {
    const current = currentAddress();
    const next = patchedAddress(current, patch);
    if (next !== current) replacePath(next);
  }, []);
  return [splitAddress(address).params, update];
}

/**
 * A search box kept in the address under `q`: the box follows typing at once, the address (and so
 * the query) once typing pauses. A new search clears the page number.
 */
export function useUrlSearch(delay = 250): { text: string; setText(text: string): void; search: string } {
  const [params, update] = useUrlState();
  const inAddress = params.get('q') ?? '';
  const [text, setText] = useState(inAddress);
  const [typed] = useDebouncedValue(text.trim(), delay);
  useEffect(() => {
    if (typed !== inAddress) update({ q: typed, page: null });
  }, [typed, inAddress, update]);
  return { text, setText, search: typed };
}

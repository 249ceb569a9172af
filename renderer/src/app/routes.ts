import { useSyncExternalStore } from 'react';

export const ROUTES = { orgs: '/orgs' } as const;
export type RoutePath = (typeof ROUTES)[keyof typeof ROUTES];

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const readPath = () => window.location.hash.replace(/^#/, '') || ROUTES.orgs;

/** Hash routes work the same from file:// in the desktop app and over HTTP in the headless console. */
export function useRoutePath(): string {
  return useSyncExternalStore(subscribe, readPath);
}

export function navigate(path: RoutePath): void {
  window.location.hash = path;
}

import { useSyncExternalStore } from 'react';
import { MONTH_PATTERN } from '../../../shared/domain/months';

export const ORG_TABS = ['overview', 'agents', 'billing', 'knowledge', 'guardrails', 'members'] as const;
export type OrgTab = (typeof ORG_TABS)[number];

export const BILLING_TABS = ['margins', 'statements', 'prices', 'usage'] as const;
export type BillingTab = (typeof BILLING_TABS)[number];

export const KNOWLEDGE_TABS = ['documents', 'overview'] as const;
export type KnowledgeTab = (typeof KNOWLEDGE_TABS)[number];

export type Route =
  /** The first page: what needs attention (owners and admins), or the user's org's overview. */
  | { name: 'home'; month: string | null }
  | { name: 'orgs' }
  /** `orgId`: the org's slug, or its id in older links. */
  | { name: 'org'; orgId: string; tab: OrgTab }
  | { name: 'users' }
  | { name: 'settings' }
  | { name: 'billing'; tab: BillingTab }
  | { name: 'agents' }
  | { name: 'knowledge'; tab: KnowledgeTab }
  | { name: 'guardrails' }
  /** `query`: the filters, as URL search params, so a reload or a link keeps them. */
  | { name: 'audit'; query: string }
  /** API tokens: the signed-in user's (userId null), or another user's for owners and admins. */
  | { name: 'tokens'; userId: string | null }
  | { name: 'notFound' };

export const paths = {
  home: (month?: string) => (month ? `/?month=${month}` : '/'),
  orgs: () => '/orgs',
  /** An org's page by its slug: `/orgs/acme-logistics` (an id still opens it, for older links). */
  org: (slug: string, tab: OrgTab = 'overview') =>
    tab === 'overview' ? `/orgs/${slug}` : `/orgs/${slug}/${tab}`,
  users: () => '/users',
  settings: () => '/settings',
  billing: (tab: BillingTab = 'margins') => (tab === 'margins' ? '/billing' : `/billing/${tab}`),
  agents: () => '/agents',
  knowledge: (tab: KnowledgeTab = 'documents') => (tab === 'documents' ? '/knowledge' : `/knowledge/${tab}`),
  guardrails: () => '/guardrails',
  audit: (query = '') => (query ? `/audit?${query}` : '/audit'),
  tokens: (userId?: string) => (userId ? `/tokens/${userId}` : '/tokens'),
};

const isOrgTab = (value: string): value is OrgTab => (ORG_TABS as readonly string[]).includes(value);

export function parseRoute(address: string): Route {
  const cut = address.indexOf('?');
  const path = cut < 0 ? address : address.slice(0, cut);
  const query = cut < 0 ? '' : address.slice(cut + 1);
  const [section, id, tab, ...rest] = path.split('/').filter(Boolean);
  if (rest.length > 0) return { name: 'notFound' };
  if (section === undefined) {
    const month = new URLSearchParams(query).get('month');
    return { name: 'home', month: month && MONTH_PATTERN.test(month) ? month : null };
  }
  if (section === 'orgs') {
    if (id === undefined) return { name: 'orgs' };
    if (tab === undefined) return { name: 'org', orgId: id, tab: 'overview' };
    return isOrgTab(tab) ? { name: 'org', orgId: id, tab } : { name: 'notFound' };
  }
  if (section === 'billing' && tab === undefined) {
    if (id === undefined) return { name: 'billing', tab: 'margins' };
    return (BILLING_TABS as readonly string[]).includes(id)
      ? { name: 'billing', tab: id as BillingTab }
      : { name: 'notFound' };
  }
  if (section === 'knowledge' && tab === undefined) {
    if (id === undefined) return { name: 'knowledge', tab: 'documents' };
    return (KNOWLEDGE_TABS as readonly string[]).includes(id)
      ? { name: 'knowledge', tab: id as KnowledgeTab }
      : { name: 'notFound' };
  }
  if (section === 'tokens' && tab === undefined) return { name: 'tokens', userId: id ?? null };
  if (id !== undefined) return { name: 'notFound' };
  if (section === 'users') return { name: 'users' };
  if (section === 'settings') return { name: 'settings' };
  if (section === 'agents') return { name: 'agents' };
  if (section === 'guardrails') return { name: 'guardrails' };
  if (section === 'audit') return { name: 'audit', query };
  return { name: 'notFound' };
}

/** When the address last changed: the app's start, then each navigation or change of filters. */
let addressChangedAt = Date.now();
window.addEventListener('hashchange', () => {
  addressChangedAt = Date.now();
});
/** Whether data arrived before the page the address shows now was opened (so not asked for it). */
export const arrivedBeforeThisPage = (query: { state: { dataUpdatedAt: number } }) =>
  query.state.dataUpdatedAt < addressChangedAt;

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
/** The route's address: the hash without its '#', the first page when there is none. */
export const currentAddress = () => window.location.hash.replace(/^#/, '') || paths.home();

/** The route the address shows now. */
export const currentRoute = (): Route => parseRoute(currentAddress());

/** Hash routes work the same from file:// in the desktop app and over HTTP in the headless console. */
export function useRoutePath(): string {
  return useSyncExternalStore(subscribe, currentAddress);
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** Changes the address without a history entry: for filters, which Back should not step through. */
export function replacePath(path: string): void {
  window.history.replaceState(window.history.state, '', `#${path}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

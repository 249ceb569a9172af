import { preloadOrgTab } from '../features/orgs/org-tabs';
import { lazyComponent } from '../ui/lazy-component';
import type { Route } from './routes';

/**
 * Each page, loading its code when first shown. Kept apart from CurrentPage (which draws with
 * Mantine) so that start-up can ask for a page's code without waiting for Mantine's to load.
 */
export const PAGES = {
  home: lazyComponent(async () => (await import('../features/home/HomePage')).HomePage),
  orgs: lazyComponent(async () => (await import('../features/orgs/OrgsPage')).OrgsPage),
  org: lazyComponent(async () => (await import('../features/orgs/OrgDetailPage')).OrgDetailPage),
  users: lazyComponent(async () => (await import('../features/users/UsersPage')).UsersPage),
  settings: lazyComponent(async () => (await import('../features/settings/SettingsPage')).SettingsPage),
  billing: lazyComponent(async () => (await import('../features/billing/BillingPage')).BillingPage),
  agents: lazyComponent(async () => (await import('../features/agents/AgentsPage')).AgentsPage),
  knowledge: lazyComponent(async () => (await import('../features/knowledge/KnowledgePage')).KnowledgePage),
  guardrails: lazyComponent(
    async () => (await import('../features/guardrails/GuardrailsPage')).GuardrailsPage,
  ),
  audit: lazyComponent(async () => (await import('../features/audit/AuditPage')).AuditPage),
  tokens: lazyComponent(async () => (await import('../features/tokens/ApiTokensPage')).ApiTokensPage),
} satisfies Record<Exclude<Route['name'], 'notFound'>, unknown>;

/**
 * Starts loading the code of the page a route shows, at start-up: it then loads while the session
 * is checked, rather than after (a cold start's longest wait was the one after the other).
 */
export function preloadPage(route: Route): void {
  if (route.name === 'notFound') return;
  void PAGES[route.name].preload();
  if (route.name === 'org') preloadOrgTab(route.tab);
}

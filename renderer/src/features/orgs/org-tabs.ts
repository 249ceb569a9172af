import type { OrgTab } from '../../app/routes';
import { lazyComponent } from '../../ui/lazy-component';

/**
 * The org page's tabs other than its overview, each loading its code when first shown: an org's
 * Billing tab does not wait for the code of its Knowledge or Guardrails tab (they pull in the
 * Markdown renderer, uploads and the policy forms).
 */
export const ORG_TAB_PAGES = {
  agents: lazyComponent(async () => (await import('../agents/OrgAgentsTab')).OrgAgentsTab),
  billing: lazyComponent(async () => (await import('../billing/OrgBillingTab')).OrgBillingTab),
  knowledge: lazyComponent(async () => (await import('../knowledge/OrgKnowledgeTab')).OrgKnowledgeTab),
  guardrails: lazyComponent(async () => (await import('../guardrails/OrgGuardrails')).OrgGuardrails),
  members: lazyComponent(async () => (await import('./OrgMembers')).OrgMembers),
} satisfies Record<Exclude<OrgTab, 'overview'>, unknown>;

/** Starts loading a tab's code with its page's, at start-up, rather than once the page has rendered. */
export function preloadOrgTab(tab: OrgTab): Promise<unknown> | undefined {
  return tab === 'overview' ? undefined : ORG_TAB_PAGES[tab].preload();
}

import type { QueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../../shared/contract/session';
import { allows, seesAllOrgs } from '../../../shared/domain/permissions';
import { agentSortIn, agentsListInput, seesAgentMoney } from '../features/agents/agent-list-view';
import { agentsListQuery } from '../features/agents/queries';
import { alertWebhookQuery, webhookDeliveriesQuery } from '../features/alerts/queries';
import { auditSortIn, isFiltered, listInput, parseFilters } from '../features/audit/audit-filters';
import {
  AUDIT_PAGE_SIZE,
  auditActionsQuery,
  auditListQuery,
  auditVerifyQuery,
} from '../features/audit/queries';
import { currentMonth } from '../features/billing/months';
import {
  jobsQuery,
  marginsQuery,
  orgBillingTermsQuery,
  pricesQuery,
  trendQuery,
} from '../features/billing/queries';
import { addressMonth } from '../features/billing/use-billing-month';
import { policyCoverageQuery } from '../features/guardrails/queries';
import { attentionQuery } from '../features/home/queries';
import { knowledgeOverviewQuery } from '../features/knowledge/queries';
import { orgQuery, orgsListQuery } from '../features/orgs/queries';
import { backupsQuery } from '../features/settings/backup-queries';
import { logoQuery, settingsQuery } from '../features/settings/queries';
import { tokensQuery } from '../features/tokens/queries';
import { usersQuery } from '../features/users/queries';
import { viewerZone } from '../ui/viewer-zone';
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
    case 'org': {
      const org = client.fetchQuery(orgQuery(route.orgId));
      // The Billing tab, and the overview's edit form, ask by the org's id, which a slug address
      // learns only from the org: ask as soon as it is known, not once the page has loaded and rendered.
      const billingTab = route.tab === 'billing' && user.pages.includes('billing');
      const editForm = route.tab === 'overview' && allows(user, 'orgs.manage');
      if (billingTab || editForm)
        org.then(
          (found) => {
            if (found.status === 'deleted') return;
            if (billingTab)
              void client.prefetchQuery(marginsQuery(addressMonth(params) ?? currentMonth(), found.id));
            void client.prefetchQuery(orgBillingTermsQuery(found.id));
          },
          // The page shows the failure from the same query.
          () => {},
        );
      return;
    }
    case 'billing': {
      if (!allows(user, 'billing.read')) return;
      const tab = allows(user, 'billing.manage') ? route.tab : 'margins';
      if (tab === 'prices') void client.prefetchQuery(pricesQuery);
      if (tab === 'usage') void client.prefetchQuery(jobsQuery);
      if (tab === 'margins' && showsAllOrgs(user, params)) {
        const month = addressMonth(params) ?? currentMonth();
        void client.prefetchQuery(marginsQuery(month));
        void client.prefetchQuery(trendQuery(month));
      }
      return;
    }
    case 'agents': {
      // The list as it first shows for every org: no search, filter or later page in the address.
      if (!allows(user, 'agents.read') || !showsAllOrgs(user, params)) return;
      if (['q', 'status', 'unassigned', 'page'].some((key) => params.has(key))) return;
      const month = seesAgentMoney(user) ? (addressMonth(params) ?? currentMonth()) : undefined;
      void client.prefetchQuery(
        agentsListQuery(agentsListInput({ sort: agentSortIn(params), page: 1, month })),
      );
      return;
    }
    case 'audit': {
      // An unfiltered trail, as an owner's or admin's page asks for it: a filtered one's days wait on
      // its org's time zone, and the page checks its filters before asking.
      if (!allows(user, 'audit.read') || !seesAllOrgs(user.role)) return;
      const filters = parseFilters(route.query);
      if (isFiltered(filters)) return;
      const sort = auditSortIn(params);
      const input = {
        ...listInput(filters, viewerZone(), AUDIT_PAGE_SIZE),
        sort: sort.column,
        direction: sort.direction,
      };
      void client.prefetchQuery(auditListQuery(input));
      void client.prefetchQuery(auditActionsQuery);
      // Its org names, deleted orgs' included (the current ones start with every signed-in screen).
      void client.prefetchQuery(orgsListQuery('', 'deleted'));
      if (allows(user, 'settings.manage')) void client.prefetchQuery(auditVerifyQuery);
      return;
    }
    case 'guardrails':
      // Every org chosen: the coverage of every org.
      if (allows(user, 'policies.read') && showsAllOrgs(user, params))
        void client.prefetchQuery(policyCoverageQuery);
      return;
    case 'knowledge':
      // Every org chosen: the overview of every org's documents.
      if (allows(user, 'knowledge.read') && showsAllOrgs(user, params))
        void client.prefetchQuery(knowledgeOverviewQuery);
      return;
    case 'users':
      if (allows(user, 'users.manage')) void client.prefetchQuery(usersQuery(''));
      return;
    case 'settings':
      if (!allows(user, 'settings.manage')) return;
      void client.prefetchQuery(settingsQuery);
      void client.prefetchQuery(logoQuery);
      void client.prefetchQuery(backupsQuery);
      if (user.role === 'owner') {
        void client.prefetchQuery(alertWebhookQuery);
        void client.prefetchQuery(webhookDeliveriesQuery);
      }
      return;
    case 'tokens':
      if (route.userId === null || route.userId === user.id) void client.prefetchQuery(tokensQuery(null));
      else if (seesAllOrgs(user.role)) void client.prefetchQuery(tokensQuery(route.userId));
      return;
    default:
      return;
  }
}

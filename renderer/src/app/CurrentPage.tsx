import { Anchor } from '@mantine/core';
import { IconLock, IconMapPinOff } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import type { SessionUser } from '../../../shared/contract/session';
import { allows, seesAllOrgs } from '../../../shared/domain/permissions';
import { EmptyHint, EmptyState } from '../ui/EmptyState';
import { PageSkeleton } from '../ui/QueryState';
import { PAGES } from './page-code';
import { paths, type Route, replacePath } from './routes';
import { useSwitcherOrg } from './use-switcher-org';

const HomePage = PAGES.home.Component;
const OrgsPage = PAGES.orgs.Component;
const OrgDetailPage = PAGES.org.Component;
const UsersPage = PAGES.users.Component;
const SettingsPage = PAGES.settings.Component;
const BillingPage = PAGES.billing.Component;
const AgentsPage = PAGES.agents.Component;
const KnowledgePage = PAGES.knowledge.Component;
const GuardrailsPage = PAGES.guardrails.Component;
const AuditPage = PAGES.audit.Component;
const ApiTokensPage = PAGES.tokens.Component;

function Unavailable({ title, hint, locked }: { title: string; hint: string; locked: boolean }) {
  return (
    <EmptyState icon={locked ? <IconLock size={24} /> : <IconMapPinOff size={24} />} title={title}>
      <EmptyHint>
        {hint} <Anchor href={`#${paths.orgs()}`}>Go to Organizations</Anchor>.
      </EmptyHint>
    </EmptyState>
  );
}

const noAccess = (
  <Unavailable locked title="Not available to you" hint="Your role does not open this page." />
);

/**
 * The first page of someone without the money figures: their org's overview, or the org list while
 * they hold none. Replaces the address, so Back does not return to an empty one.
 */
function Landing({ user }: { user: SessionUser }) {
  const { id } = useSwitcherOrg(user);
  useEffect(() => replacePath(id ? paths.org(id) : paths.orgs()), [id]);
  return <PageSkeleton />;
}

export function CurrentPage({ route, user }: { route: Route; user: SessionUser }) {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <RoutePage route={route} user={user} />
    </Suspense>
  );
}

function RoutePage({ route, user }: { route: Route; user: SessionUser }) {
  switch (route.name) {
    case 'home':
      return allows(user, 'billing.read') ? (
        <HomePage user={user} month={route.month} />
      ) : (
        <Landing user={user} />
      );
    case 'orgs':
      return <OrgsPage user={user} />;
    case 'org':
      return <OrgDetailPage key={route.orgId} user={user} orgId={route.orgId} tab={route.tab} />;
    case 'users':
      return allows(user, 'users.manage') ? <UsersPage user={user} /> : noAccess;
    case 'settings':
      return allows(user, 'settings.manage') ? <SettingsPage /> : noAccess;
    case 'billing':
      return allows(user, 'billing.read') || allows(user, 'statements.read') ? (
        <BillingPage user={user} tab={route.tab} />
      ) : (
        noAccess
      );
    case 'agents':
      return allows(user, 'agents.read') ? <AgentsPage user={user} /> : noAccess;
    case 'knowledge':
      return allows(user, 'knowledge.read') ? <KnowledgePage user={user} tab={route.tab} /> : noAccess;
    case 'guardrails':
      return allows(user, 'policies.read') ? <GuardrailsPage user={user} /> : noAccess;
    case 'audit':
      return allows(user, 'audit.read') ? <AuditPage user={user} query={route.query} /> : noAccess;
    case 'tokens':
      return route.userId === null || route.userId === user.id ? (
        <ApiTokensPage key="own" />
      ) : seesAllOrgs(user.role) ? (
        <ApiTokensPage key={route.userId} userId={route.userId} />
      ) : (
        noAccess
      );
    case 'notFound':
      return <Unavailable locked={false} title="Page not found" hint="There is no page at this address." />;
  }
}

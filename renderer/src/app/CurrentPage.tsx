import { Anchor } from '@mantine/core';
import { IconLock, IconMapPinOff } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import type { SessionUser } from '../../../shared/contract/session';
import { allows, seesAllOrgs } from '../../../shared/domain/permissions';
import { preloadOrgTab } from '../features/orgs/org-tabs';
import { EmptyHint, EmptyState } from '../ui/EmptyState';
import { lazyComponent } from '../ui/lazy-component';
import { PageSkeleton } from '../ui/QueryState';
import { paths, type Route, replacePath } from './routes';
import { useSwitcherOrg } from './use-switcher-org';

const Home = lazyComponent(async () => (await import('../features/home/HomePage')).HomePage);
const Orgs = lazyComponent(async () => (await import('../features/orgs/OrgsPage')).OrgsPage);
const OrgDetail = lazyComponent(async () => (await import('../features/orgs/OrgDetailPage')).OrgDetailPage);
const Users = lazyComponent(async () => (await import('../features/users/UsersPage')).UsersPage);
const Settings = lazyComponent(async () => (await import('../features/settings/SettingsPage')).SettingsPage);
const Billing = lazyComponent(async () => (await import('../features/billing/BillingPage')).BillingPage);
const Agents = lazyComponent(async () => (await import('../features/agents/AgentsPage')).AgentsPage);
const Knowledge = lazyComponent(
  async () => (await import('../features/knowledge/KnowledgePage')).KnowledgePage,
);
const Guardrails = lazyComponent(
  async () => (await import('../features/guardrails/GuardrailsPage')).GuardrailsPage,
);
const Audit = lazyComponent(async () => (await import('../features/audit/AuditPage')).AuditPage);
const ApiTokens = lazyComponent(async () => (await import('../features/tokens/ApiTokensPage')).ApiTokensPage);

const HomePage = Home.Component;
const OrgsPage = Orgs.Component;
const OrgDetailPage = OrgDetail.Component;
const UsersPage = Users.Component;
const SettingsPage = Settings.Component;
const BillingPage = Billing.Component;
const AgentsPage = Agents.Component;
const KnowledgePage = Knowledge.Component;
const GuardrailsPage = Guardrails.Component;
const AuditPage = Audit.Component;
const ApiTokensPage = ApiTokens.Component;

const PRELOAD: Partial<Record<Route['name'], () => unknown>> = {
  home: Home.preload,
  orgs: Orgs.preload,
  org: OrgDetail.preload,
  users: Users.preload,
  settings: Settings.preload,
  billing: Billing.preload,
  agents: Agents.preload,
  knowledge: Knowledge.preload,
  guardrails: Guardrails.preload,
  audit: Audit.preload,
  tokens: ApiTokens.preload,
};

/**
 * Starts loading the code of the page a route shows, at start-up: it then loads while the session
 * is checked, rather than after (a cold start's longest wait was the one after the other). Settles
 * once that code is in.
 */
export function preloadPage(route: Route): Promise<unknown> {
  return Promise.all([PRELOAD[route.name]?.(), route.name === 'org' ? preloadOrgTab(route.tab) : undefined]);
}

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

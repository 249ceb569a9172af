import { Anchor } from '@mantine/core';
import { IconLock, IconMapPinOff } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { allows, seesAllOrgs } from '../../../shared/domain/permissions';
import { AgentsPage } from '../features/agents/AgentsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { BillingPage } from '../features/billing/BillingPage';
import { GuardrailsPage } from '../features/guardrails/GuardrailsPage';
import { KnowledgePage } from '../features/knowledge/KnowledgePage';
import { OrgDetailPage } from '../features/orgs/OrgDetailPage';
import { OrgsPage } from '../features/orgs/OrgsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { ApiTokensPage } from '../features/tokens/ApiTokensPage';
import { UsersPage } from '../features/users/UsersPage';
import { EmptyHint, EmptyState } from '../ui/EmptyState';
import { paths, type Route } from './routes';

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

export function CurrentPage({ route, user }: { route: Route; user: SessionUser }) {
  switch (route.name) {
    case 'orgs':
      return <OrgsPage user={user} />;
    case 'org':
      return <OrgDetailPage key={route.orgId} user={user} orgId={route.orgId} tab={route.tab} />;
    case 'users':
      return allows(user, 'users.manage') ? <UsersPage user={user} /> : noAccess;
    case 'settings':
      return allows(user, 'settings.manage') ? <SettingsPage /> : noAccess;
    case 'billing':
      return allows(user, 'billing.read') ? <BillingPage user={user} tab={route.tab} /> : noAccess;
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

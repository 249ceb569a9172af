import {
  IconBook,
  IconBuildingCommunity,
  IconHistory,
  IconHome,
  IconReceipt,
  IconRobot,
  IconSettings,
  IconShieldCheck,
  IconUsers,
} from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { allows } from '../../../shared/domain/permissions';
import { paths, type Route } from './routes';

export interface NavItem {
  path: string;
  label: string;
  icon: typeof IconUsers;
  /** The routes that highlight this item. */
  routes: Route['name'][];
}

/** The pages this session may open, and nothing else: the server refuses the rest anyway. */
export function navFor(user: SessionUser): NavItem[] {
  return [
    ...(allows(user, 'billing.read')
      ? [{ path: paths.home(), label: 'Home', icon: IconHome, routes: ['home' as const] }]
      : []),
    { path: paths.orgs(), label: 'Organizations', icon: IconBuildingCommunity, routes: ['orgs', 'org'] },
    ...(allows(user, 'agents.read')
      ? [{ path: paths.agents(), label: 'Agents', icon: IconRobot, routes: ['agents' as const] }]
      : []),
    ...(allows(user, 'knowledge.read')
      ? [{ path: paths.knowledge(), label: 'Knowledge', icon: IconBook, routes: ['knowledge' as const] }]
      : []),
    ...(allows(user, 'billing.read') || allows(user, 'statements.read')
      ? [{ path: paths.billing(), label: 'Billing', icon: IconReceipt, routes: ['billing' as const] }]
      : []),
    ...(allows(user, 'policies.read')
      ? [
          {
            path: paths.guardrails(),
            label: 'Guardrails',
            icon: IconShieldCheck,
            routes: ['guardrails' as const],
          },
        ]
      : []),
    ...(allows(user, 'audit.read')
      ? [{ path: paths.audit(), label: 'Audit', icon: IconHistory, routes: ['audit' as const] }]
      : []),
    ...(allows(user, 'users.manage')
      ? [{ path: paths.users(), label: 'Users', icon: IconUsers, routes: ['users' as const] }]
      : []),
    ...(allows(user, 'settings.manage')
      ? [{ path: paths.settings(), label: 'Settings', icon: IconSettings, routes: ['settings' as const] }]
      : []),
  ];
}

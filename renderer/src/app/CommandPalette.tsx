import { useHotkeys } from '@mantine/hooks';
import { Spotlight, type SpotlightActionGroupData, spotlight } from '@mantine/spotlight';
import {
  IconArrowsExchange,
  IconBuilding,
  IconCalendarCheck,
  IconFileImport,
  IconPlus,
  IconRobot,
  IconSearch,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { SessionUser } from '../../../shared/contract/session';
import { allows, allowsIn } from '../../../shared/domain/permissions';
import { useAgents } from '../features/agents/queries';
import { KINDS } from '../features/guardrails/policy-kinds';
import { usePolicies } from '../features/guardrails/queries';
import { navFor } from './nav';
import { usePaletteRequests } from './palette-requests';
import { navigate, paths } from './routes';
import { useSwitcherOrg } from './use-switcher-org';

/**
 * Ctrl/Cmd+K: jump to a page, an org or an agent, switch the org context, or start a common action.
 * The palette mounts as it first opens: a mounted Spotlight, even closed, mounts its modal's portal
 * as the console first draws and makes React draw the page a second time. The shortcut works from a
 * text field too (no character to type is lost).
 */
export function CommandPalette({ user }: { user: SessionUser }) {
  const [mounted, setMounted] = useState(false);
  useHotkeys(
    [
      [
        'mod+K',
        () => {
          setMounted(true);
          spotlight.toggle();
        },
      ],
    ],
    [],
  );
  return mounted ? <Palette user={user} /> : null;
}

function Palette({ user }: { user: SessionUser }) {
  const selection = useSwitcherOrg(user);
  const ask = usePaletteRequests((state) => state.ask);
  // Agents and policies are asked for as the palette first opens (it mounts then), not by every
  // page's cold start. It lists at most one page of agents, the contract's largest.
  const agents = useAgents(
    { sort: 'name', direction: 'asc', page: 1, pageSize: 200 },
    allows(user, 'agents.read'),
  );
  const orgs = selection.orgs ?? [];
  // The policies of the org the pages cover: policies belong to one org, and with every org chosen
  // the palette would have to ask each org for its own.
  const policyOrg = selection.org;
  const policies = usePolicies(
    policyOrg?.id ?? '',
    !!policyOrg && allowsIn(user, 'policies.read', policyOrg.id),
  );

  const groups: SpotlightActionGroupData[] = [
    {
      group: 'Actions',
      actions: [
        ...(allows(user, 'orgs.manage')
          ? [
              {
                id: 'new-org',
                label: 'New organization',
                leftSection: <IconPlus size={18} />,
                onClick: () => {
                  navigate(paths.orgs());
                  ask({ kind: 'new-org' });
                },
              },
            ]
          : []),
        ...(allows(user, 'agents.manage')
          ? [
              {
                id: 'new-agent',
                label: 'New agent',
                leftSection: <IconPlus size={18} />,
                onClick: () => {
                  navigate(paths.agents());
                  ask({ kind: 'new-agent' });
                },
              },
            ]
          : []),
        ...(allows(user, 'billing.manage')
          ? [
              {
                id: 'import-usage',
                label: 'Import usage',
                leftSection: <IconFileImport size={18} />,
                onClick: () => navigate(paths.billing('usage')),
              },
            ]
          : []),
        ...(allows(user, 'statements.manage')
          ? [
              {
                id: 'close-month',
                label: 'Close month',
                description: 'Issue the month’s statements',
                leftSection: <IconCalendarCheck size={18} />,
                onClick: () => {
                  navigate(paths.billing('statements'));
                  ask({ kind: 'close-month' });
                },
              },
            ]
          : []),
      ],
    },
    {
      group: 'Pages',
      actions: navFor(user).map((item) => ({
        id: `page-${item.path}`,
        label: item.label,
        leftSection: <item.icon size={18} />,
        onClick: () => navigate(item.path),
      })),
    },
    {
      group: 'Organizations',
      actions: orgs.map((org) => ({
        id: `org-${org.id}`,
        label: org.name,
        description: org.slug,
        leftSection: <IconBuilding size={18} />,
        onClick: () => navigate(paths.org(org.slug)),
      })),
    },
    ...(selection.locked
      ? []
      : [
          {
            group: 'Switch organization',
            actions: orgs.map((org) => ({
              id: `switch-${org.id}`,
              label: `Switch to ${org.name}`,
              keywords: [org.slug],
              leftSection: <IconArrowsExchange size={18} />,
              onClick: () => selection.select(org.id),
            })),
          },
        ]),
    ...(policyOrg
      ? [
          {
            group: `Policies of ${policyOrg.name}`,
            actions: (policies.data ?? []).map((policy) => ({
              id: `policy-${policy.id}`,
              label: policy.name,
              description: `${KINDS[policy.kind].label}${policy.enabled ? '' : ' · off'}`,
              keywords: [policy.kind, 'policy', 'guardrail'],
              leftSection: <IconShieldCheck size={18} />,
              onClick: () => {
                navigate(paths.guardrails());
                ask({ kind: 'open-policy', policyId: policy.id });
              },
            })),
          },
        ]
      : []),
    {
      group: 'Agents',
      actions: (agents.data?.items ?? []).map((agent) => ({
        id: `agent-${agent.id}`,
        label: agent.name,
        description: `${agent.handle}${agent.org ? ` · ${agent.org.name}` : ''}`,
        keywords: [agent.handle, agent.email, agent.model],
        leftSection: <IconRobot size={18} />,
        onClick: () => {
          navigate(paths.agents());
          ask({ kind: 'open-agent', agentId: agent.id });
        },
      })),
    },
  ];

  return (
    <Spotlight
      actions={groups}
      // CommandPalette's own shortcut opens and closes it.
      shortcut={null}
      limit={12}
      nothingFound="Nothing matches"
      highlightQuery
      searchProps={{
        leftSection: <IconSearch size={18} />,
        placeholder: 'Go to a page, organization, agent or policy, or run an action…',
        'aria-label': 'Command palette',
      }}
    />
  );
}

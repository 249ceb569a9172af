import { Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import {
  IconArrowsExchange,
  IconBuilding,
  IconFileImport,
  IconPlus,
  IconRobot,
  IconSearch,
} from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { allows } from '../../../shared/domain/permissions';
import { useAgents } from '../features/agents/queries';
import { navFor } from './nav';
import { usePaletteRequests } from './palette-requests';
import { navigate, paths } from './routes';
import { useSwitcherOrg } from './use-switcher-org';

/** Ctrl/Cmd+K: jump to a page, an org or an agent, switch the org context, or start a common action. */
export function CommandPalette({ user }: { user: SessionUser }) {
  const selection = useSwitcherOrg(user);
  const ask = usePaletteRequests((state) => state.ask);
  // The palette lists at most one page of agents, the contract's largest.
  const agents = useAgents(
    { sort: 'name', direction: 'asc', page: 1, pageSize: 200 },
    allows(user, 'agents.read'),
  );
  const orgs = selection.orgs ?? [];

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
      shortcut={['mod + K']}
      // Ctrl/Cmd+K opens it from a text field too (no character to type is lost).
      tagsToIgnore={[]}
      limit={12}
      nothingFound="Nothing matches"
      highlightQuery
      searchProps={{
        leftSection: <IconSearch size={18} />,
        placeholder: 'Go to a page, organization or agent, or run an action…',
        'aria-label': 'Command palette',
      }}
    />
  );
}

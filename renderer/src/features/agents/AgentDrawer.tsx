import {
  Anchor,
  Button,
  Divider,
  Drawer,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowsExchange, IconBuildingOff, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Agent, Assignment } from '../../../../shared/contract/agents';
import { AppError } from '../../../../shared/contract/envelope';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows, mayBackdate, seesAllOrgs } from '../../../../shared/domain/permissions';
import { paths } from '../../app/routes';
import { deleteAndClose } from '../../ui/delete-and-close';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { Fact } from '../../ui/Fact';
import { LocalTime } from '../../ui/time';
import { AgentKnowledgeAccess } from '../knowledge/AgentKnowledgeAccess';
import { AgentEditForm } from './AgentEditForm';
import { AgentHistory } from './AgentHistory';
import { AgentStatusBadge } from './AgentStatusBadge';
import { AgentUsageIdentities } from './AgentUsageIdentities';
import { AssignAgentsModal } from './AssignAgentsModal';
import { useAgent, useDeleteAgent } from './queries';
import { UnassignAgentsModal } from './UnassignAgentsModal';

/** One agent: its facts, its edit form, where it has been, and the moves that ask first. */
export function AgentDrawer({
  agentId,
  user,
  onClose,
}: {
  agentId: string | null;
  user: SessionUser;
  onClose: () => void;
}) {
  const agent = useAgent(agentId);
  const title = agent.data ? agent.data.name : 'Agent';

  return (
    <Drawer
      opened={agentId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Title order={3}>{title}</Title>}
    >
      {agent.isPending ? (
        <Stack aria-busy="true" aria-label="Loading the agent">
          <Skeleton h={24} w={240} />
          <Skeleton h={120} />
          <Skeleton h={200} />
        </Stack>
      ) : agent.isError ? (
        agent.error instanceof AppError && agent.error.code === 'NOT_FOUND' ? (
          <EmptyState icon={<IconBuildingOff size={24} />} title="No longer here">
            <EmptyHint>This agent was deleted, or it left the organizations you may see.</EmptyHint>
          </EmptyState>
        ) : (
          <ErrorState
            title="Could not load the agent"
            error={agent.error}
            onRetry={() => void agent.refetch()}
          />
        )
      ) : allows(user, 'knowledge.read') || allows(user, 'billing.manage') ? (
        <Tabs key={agent.data.id} defaultValue="details" keepMounted={false}>
          <Tabs.List mb="lg">
            <Tabs.Tab value="details">Details</Tabs.Tab>
            {allows(user, 'knowledge.read') && <Tabs.Tab value="knowledge">Knowledge access</Tabs.Tab>}
            {allows(user, 'billing.manage') && <Tabs.Tab value="identities">Usage identities</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="details">
            <AgentDetail agent={agent.data} user={user} onGone={onClose} />
          </Tabs.Panel>
          <Tabs.Panel value="knowledge">
            <AgentKnowledgeAccess agent={agent.data} />
          </Tabs.Panel>
          <Tabs.Panel value="identities">
            <AgentUsageIdentities agent={agent.data} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <AgentDetail agent={agent.data} user={user} onGone={onClose} />
      )}
    </Drawer>
  );
}

function AgentDetail({
  agent,
  user,
  onGone,
}: {
  agent: Agent & { history: Assignment[] };
  user: SessionUser;
  onGone: () => void;
}) {
  const all = seesAllOrgs(user.role);
  const remove = useDeleteAgent();
  const [assigning, setAssigning] = useState(false);
  const [unassigning, setUnassigning] = useState(false);

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${agent.name}?`,
      centered: true,
      children: (
        <Text size="sm">
          {agent.handle} is removed from the console. Its assignment history stays, so past months still bill
          correctly. This cannot be undone.
        </Text>
      ),
      labels: { confirm: 'Delete agent', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => deleteAndClose(remove, agent.id, agent.name, onGone),
    });

  return (
    <Stack gap="lg">
      <Group gap="sm">
        <Text ff="monospace" c="dimmed" title="The handle: usage imports key on it, so it never changes">
          {agent.handle}
        </Text>
        <AgentStatusBadge status={agent.effectiveStatus} />
      </Group>
      <SimpleGrid cols={3} spacing="md" verticalSpacing="sm">
        <Fact label="Organization">
          {agent.org ? (
            <Anchor href={`#${paths.org(agent.org.slug, 'agents')}`} size="sm" onClick={onGone}>
              {agent.org.name}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              Unassigned
            </Text>
          )}
        </Fact>
        <Fact label="Assigned since">
          {agent.assignedSince ? <LocalTime iso={agent.assignedSince} /> : <Text size="sm">—</Text>}
        </Fact>
        <Fact label="Rate">
          <Text size="sm" ff={agent.rate ? 'monospace' : undefined} c={agent.rate ? undefined : 'dimmed'}>
            {agent.rate ? `$${agent.rate} / month` : 'org rate'}
          </Text>
        </Fact>
        <Fact label="Created">
          <LocalTime iso={agent.createdAt} />
        </Fact>
        <Fact label="Updated">
          <LocalTime iso={agent.updatedAt} />
        </Fact>
      </SimpleGrid>
      <Group gap="sm">
        {all && (
          <Button
            variant="light"
            leftSection={<IconArrowsExchange size={16} />}
            onClick={() => setAssigning(true)}
          >
            {agent.org ? 'Move to…' : 'Assign to…'}
          </Button>
        )}
        {agent.org && (
          <Button variant="default" onClick={() => setUnassigning(true)}>
            Unassign
          </Button>
        )}
        {all && (
          <Tooltip label="Unassign it first: an assigned agent cannot be deleted" disabled={!agent.org}>
            {/* A disabled button gets no hover, so the tooltip sits on a wrapper that does. */}
            <span>
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} />}
                disabled={agent.org !== null}
                loading={remove.isPending}
                onClick={confirmDelete}
              >
                Delete
              </Button>
            </span>
          </Tooltip>
        )}
      </Group>
      <Divider label="Assignment history" labelPosition="left" />
      <AgentHistory history={agent.history} />
      <Divider label="Details" labelPosition="left" />
      <AgentEditForm key={agent.id} agent={agent} />
      {assigning && (
        <AssignAgentsModal
          agents={[agent]}
          onClose={() => setAssigning(false)}
          canBackdate={mayBackdate(user.role)}
        />
      )}
      {unassigning && (
        <UnassignAgentsModal
          agents={[agent]}
          onClose={() => setUnassigning(false)}
          // Unassigned, it leaves a bound user's view: nothing more to show them here.
          onDone={all ? undefined : onGone}
          canBackdate={mayBackdate(user.role)}
        />
      )}
    </Stack>
  );
}

import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { Agent } from '../../../../shared/contract/agents';
import { AppError } from '../../../../shared/contract/envelope';
import { plural } from '../../../../shared/domain/counts';
import { errorMessage } from '../../api/client';
import { useAssignAgents } from './queries';

export interface NeedsMove {
  agentId: string;
  name: string;
  from: string;
}

export interface AssignRequest {
  agentIds: string[];
  orgId: string;
  orgName: string;
  at?: string;
}

interface Callbacks {
  onDone: (agents: Agent[]) => void;
  onError: (error: Error) => void;
}

/** The agents the server says are in another org, when it refused an assignment for that reason. */
export function needsMoveOf(error: unknown): NeedsMove[] | null {
  if (!(error instanceof AppError) || error.code !== 'CONFLICT') return null;
  const details = error.details as { needsMove?: NeedsMove[] } | undefined;
  return Array.isArray(details?.needsMove) && details.needsMove.length > 0 ? details.needsMove : null;
}

/**
 * Assigns agents to an org; when some are in another org the server refuses, and this asks
 * "X is in Org A — move?" in a modal, resending with move: true only on the user's say-so.
 * Render `modal` once wherever the flow is used.
 */
export function useAssignFlow(): {
  start: (request: AssignRequest, callbacks: Callbacks) => void;
  pending: boolean;
  /** True while the move confirmation is up. */
  confirming: boolean;
  modal: ReactNode;
} {
  const assign = useAssignAgents();
  const [confirming, setConfirming] = useState<{
    request: AssignRequest;
    needsMove: NeedsMove[];
    callbacks: Callbacks;
  } | null>(null);

  const send = (request: AssignRequest, move: boolean) =>
    assign.mutateAsync({ agentIds: request.agentIds, orgId: request.orgId, at: request.at, move });

  const start = (request: AssignRequest, callbacks: Callbacks) => {
    assign.reset();
    send(request, false).then(
      (result) => callbacks.onDone(result.agents),
      (error: Error) => {
        const needsMove = needsMoveOf(error);
        if (needsMove) {
          assign.reset();
          setConfirming({ request, needsMove, callbacks });
        } else callbacks.onError(error);
      },
    );
  };

  const close = () => {
    assign.reset();
    setConfirming(null);
  };

  const modal = confirming && (
    <MoveConfirmModal
      needsMove={confirming.needsMove}
      total={new Set(confirming.request.agentIds).size}
      orgName={confirming.request.orgName}
      moving={assign.isPending}
      error={assign.isError ? assign.error : null}
      onCancel={close}
      onMove={() =>
        send(confirming.request, true).then(
          (result) => {
            setConfirming(null);
            confirming.callbacks.onDone(result.agents);
          },
          () => {
            // Shown in the modal (an overlapping history, an org deactivated meanwhile…).
          },
        )
      }
    />
  );

  return { start, pending: assign.isPending, confirming: confirming !== null, modal };
}

function MoveConfirmModal({
  needsMove,
  total,
  orgName,
  moving,
  error,
  onCancel,
  onMove,
}: {
  needsMove: NeedsMove[];
  total: number;
  orgName: string;
  moving: boolean;
  error: Error | null;
  onCancel: () => void;
  onMove: () => void;
}) {
  const single = needsMove.length === 1 && total === 1;
  const others = total - needsMove.length;
  const shown = needsMove.slice(0, 12);
  return (
    <Modal
      opened
      onClose={onCancel}
      centered
      title={
        single
          ? `Move ${needsMove[0]?.name} to ${orgName}?`
          : `Move ${plural(needsMove.length, 'agent')} to ${orgName}?`
      }
    >
      <Stack>
        <Text size="sm">
          {single
            ? 'This agent is assigned to another organization:'
            : `${plural(needsMove.length, 'agent is', 'agents are')} assigned to another organization:`}
        </Text>
        <List size="sm" spacing={4} aria-label="Agents in another organization">
          {shown.map((item) => (
            <List.Item key={item.agentId}>
              <Text span fw={500} size="sm">
                {item.name}
              </Text>{' '}
              is in{' '}
              <Text span fw={500} size="sm">
                {item.from}
              </Text>
            </List.Item>
          ))}
          {needsMove.length > shown.length && (
            <List.Item>…and {needsMove.length - shown.length} more</List.Item>
          )}
        </List>
        <Text size="sm" c="dimmed">
          Moving ends {single ? 'its' : 'their'} time in the old organization now (or at the effective time
          you gave) and starts it in {orgName}; both stay in the history.
          {others > 0 && ` The other ${plural(others, 'agent')} will be assigned too.`}
        </Text>
        {error && (
          <Alert color="red" variant="light" role="alert" title="Not moved">
            {errorMessage(error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button leftSection={<IconArrowsExchange size={16} />} loading={moving} onClick={onMove}>
            Move
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

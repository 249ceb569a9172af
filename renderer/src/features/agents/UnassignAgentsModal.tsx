import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Agent } from '../../../../shared/contract/agents';
import { errorMessage, fieldErrors } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { EffectiveTimeField, parseEffectiveTime } from './EffectiveTimeField';
import { useUnassignAgents } from './queries';

export type UnassignTarget = Pick<Agent, 'id' | 'name' | 'org'>;

/** Confirms taking agents out of their orgs; mounted while open. Unassigned ones in the list are skipped. */
export function UnassignAgentsModal({
  agents,
  onClose,
  onDone,
  canBackdate,
}: {
  agents: UnassignTarget[];
  onClose: () => void;
  onDone?: () => void;
  /** Whether the caller may date the change in the past: only then is the effective time offered. */
  canBackdate: boolean;
}) {
  const unassign = useUnassignAgents();
  const [when, setWhen] = useState('');
  const [whenError, setWhenError] = useState<string>();
  const assigned = agents.filter((agent) => agent.org !== null);
  const skipped = agents.length - assigned.length;
  const single = assigned.length === 1 ? assigned[0] : undefined;
  const shown = assigned.slice(0, 12);

  return (
    <Modal
      opened
      onClose={onClose}
      centered
      title={
        single
          ? `Unassign ${single.name}?`
          : `Unassign ${assigned.length} agent${assigned.length === 1 ? '' : 's'}?`
      }
    >
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const { at, error } = await parseEffectiveTime(when);
          if (error) return setWhenError(error);
          void mutateThen(
            unassign,
            { agentIds: assigned.map((agent) => agent.id), at },
            {
              onSuccess: () => {
                notifications.show({
                  color: 'teal',
                  title: 'Unassigned',
                  message: single
                    ? `${single.name} is no longer in ${single.org?.name}.`
                    : `${assigned.length} agents are unassigned.`,
                });
                onDone?.();
                onClose();
              },
              onError: (error) => {
                const fields = fieldErrors(error);
                if (fields.at) setWhenError(fields.at);
              },
            },
          );
        }}
      >
        <Stack>
          {assigned.length === 0 ? (
            <Text size="sm">None of the chosen agents is assigned to an organization.</Text>
          ) : (
            <>
              <Text size="sm">
                {single
                  ? `${single.name} leaves ${single.org?.name}. Its history keeps the time it spent there, for billing.`
                  : 'They leave their organizations. Their history keeps the time spent there, for billing.'}
              </Text>
              {!single && (
                <List size="sm" spacing={2}>
                  {shown.map((agent) => (
                    <List.Item key={agent.id}>
                      {agent.name} — from {agent.org?.name}
                    </List.Item>
                  ))}
                  {assigned.length > shown.length && (
                    <List.Item>…and {assigned.length - shown.length} more</List.Item>
                  )}
                </List>
              )}
            </>
          )}
          {skipped > 0 && (
            <Text size="sm" c="dimmed">
              {skipped} of the chosen agent{skipped === 1 ? ' is' : 's are'} not assigned and stay
              {skipped === 1 ? 's' : ''} as {skipped === 1 ? 'it is' : 'they are'}.
            </Text>
          )}
          {canBackdate && (
            <EffectiveTimeField
              value={when}
              error={whenError}
              onChange={(value) => {
                setWhen(value);
                setWhenError(undefined);
                unassign.reset();
              }}
            />
          )}
          {unassign.isError && !fieldErrors(unassign.error).at && (
            <Alert color="red" variant="light" role="alert" title="Not unassigned">
              {errorMessage(unassign.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={assigned.length === 0} loading={unassign.isPending}>
              Unassign
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

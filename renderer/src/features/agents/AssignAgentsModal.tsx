import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import type { Agent } from '../../../../shared/contract/agents';
import { errorMessage, fieldErrors } from '../../api/client';
import { useOrgs } from '../orgs/queries';
import { EffectiveTimeField, parseEffectiveTime } from './EffectiveTimeField';
import { useAssignFlow } from './use-assign-flow';

export type AssignTarget = Pick<Agent, 'id' | 'name' | 'org'>;

/** "Assign to…": picks an active org for the chosen agents; moving ones from another org asks first. */
export function AssignAgentsModal({
  agents,
  initialOrgId,
  onClose,
  onDone,
  canBackdate,
}: {
  agents: AssignTarget[];
  initialOrgId?: string | null;
  onClose: () => void;
  onDone?: () => void;
  /** Whether the caller may date the change in the past: only then is the effective time offered. */
  canBackdate: boolean;
}) {
  const orgs = useOrgs('');
  const flow = useAssignFlow();
  const [orgId, setOrgId] = useState<string | null>(initialOrgId ?? null);
  const [orgError, setOrgError] = useState<string>();
  const [when, setWhen] = useState('');
  const [whenError, setWhenError] = useState<string>();
  const [failure, setFailure] = useState<Error | null>(null);
  // Inactive orgs take no agents: listed, so the choice is explained, but not selectable.
  const options = (orgs.data ?? []).map((org) => ({
    value: org.id,
    label: org.status === 'active' ? org.name : `${org.name} (inactive)`,
    disabled: org.status !== 'active',
  }));
  const single = agents.length === 1 ? agents[0] : undefined;
  const title = single ? `Assign ${single.name}` : `Assign ${agents.length} agents`;

  if (flow.confirming) return flow.modal;

  return (
    <Modal opened onClose={onClose} centered title={title}>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const org = orgs.data?.find((candidate) => candidate.id === orgId);
          if (!org) return setOrgError('Choose an organization');
          if (org.status !== 'active') return setOrgError(`${org.name} is inactive: activate it first`);
          const { at, error } = await parseEffectiveTime(when);
          if (error) return setWhenError(error);
          setFailure(null);
          flow.start(
            { agentIds: agents.map((agent) => agent.id), orgId: org.id, orgName: org.name, at },
            {
              onDone: () => {
                notifications.show({
                  color: 'teal',
                  title: 'Assigned',
                  message: single
                    ? `${single.name} is now in ${org.name}.`
                    : `${agents.length} agents are now in ${org.name}.`,
                });
                onDone?.();
                onClose();
              },
              onError: (problem) => {
                const fields = fieldErrors(problem);
                if (fields.at) setWhenError(fields.at);
                else setFailure(problem);
              },
            },
          );
        }}
      >
        <Stack>
          <Select
            label="Organization"
            placeholder={orgs.isPending ? 'Loading…' : 'Choose an active organization'}
            data={options}
            value={orgId}
            onChange={(value) => {
              setOrgId(value);
              setOrgError(undefined);
              setFailure(null);
            }}
            error={orgError}
            searchable
            nothingFoundMessage="No active organization matches"
            leftSection={<IconBuilding size={16} />}
            data-autofocus
            comboboxProps={{ withinPortal: true }}
          />
          <Text size="xs" c="dimmed">
            Only active organizations take agents. Agents already in another organization are moved after you
            confirm.
          </Text>
          {canBackdate && (
            <EffectiveTimeField
              value={when}
              error={whenError}
              onChange={(value) => {
                setWhen(value);
                setWhenError(undefined);
                setFailure(null);
              }}
            />
          )}
          {failure && (
            <Alert color="red" variant="light" role="alert" title="Not assigned">
              {errorMessage(failure)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={flow.pending}>
              Assign
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

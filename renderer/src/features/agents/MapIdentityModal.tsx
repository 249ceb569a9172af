import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { AliasIdentity } from '../../../../shared/domain/usage-identity';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { identityName } from './identity-labels';
import { useAddAlias, useAgents } from './queries';

/**
 * Picks the agent whose usage an identity is (a provider's key or project, or a handle our own
 * files name that no agent has) and maps it: the rows left out count once the file is imported again.
 */
export function MapIdentityModal({ identity, onClose }: { identity: AliasIdentity; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const agents = useAgents({ search: debounced || undefined, pageSize: 50 });
  const [agentId, setAgentId] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const add = useAddAlias();
  const options = (agents.data?.items ?? []).map((agent) => ({
    value: agent.id,
    label: `${agent.name} (${agent.handle})`,
  }));

  const map = () => {
    if (!agentId) {
      setError('Choose the agent whose usage this is');
      return;
    }
    void mutateThen(
      add,
      { agentId, source: identity.source, kind: identity.kind, value: identity.value },
      {
        onSuccess: (alias) => {
          notifications.show({
            color: 'teal',
            title: 'Mapped',
            message: `${identityName(identity)} now counts as ${alias.agent.name}. Import the file again to add its rows.`,
          });
          onClose();
        },
        onError: (failure) => setError(errorMessage(failure)),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title="Map to an agent" centered>
      <Stack gap="sm">
        <Text size="sm">
          Rows of <b>{identityName(identity)}</b> will count as the agent’s usage in this and later imports.
        </Text>
        <Select
          label="Agent"
          placeholder="Search agents by name or handle"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={agentId}
          onChange={(value) => {
            setAgentId(value);
            setError(undefined);
          }}
          nothingFoundMessage={agents.isPending ? 'Loading…' : 'No agent matches'}
          error={error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={map} loading={add.isPending}>
            Map
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

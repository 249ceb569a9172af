import {
  ActionIcon,
  Button,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ChannelInput } from '../../../../shared/contract';
import type { Agent } from '../../../../shared/contract/agents';
import type { AgentAlias } from '../../../../shared/contract/aliases';
import {
  type AliasKind,
  type AliasSource,
  aliasPairs,
  HANDLE_ALIAS,
} from '../../../../shared/domain/usage-identity';
import { EmptyHint } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { mutateThen } from '../../ui/mutate-then';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { LocalTime } from '../../ui/time';
import { useContractForm } from '../../ui/use-contract-form';
import { KIND_LABELS, KIND_NOUNS, KIND_OPTIONS, SOURCE_LABELS, SOURCE_OPTIONS } from './identity-labels';
import { useAddAlias, useAgentAliases, useRemoveAlias } from './queries';

/**
 * The API keys, projects, workspaces, users and teams of providers' usage exports that count as
 * this agent's usage. Owners and admins only: an alias decides whose cost a row is.
 */
export function AgentUsageIdentities({ agent }: { agent: Agent }) {
  const aliases = useAgentAliases(agent.id);
  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        Provider usage exports (OpenAI, Anthropic, LiteLLM) name an API key, project, workspace, user or team
        instead of an agent; our own usage files may name an old handle. Rows naming an identity listed here
        are imported as {agent.name}’s usage.
      </Text>
      {aliases.isPending ? (
        <Stack aria-busy="true" aria-label="Loading usage identities">
          <Skeleton h={32} />
          <Skeleton h={32} />
        </Stack>
      ) : aliases.isError ? (
        <ErrorState
          title="Could not load the usage identities"
          error={aliases.error}
          onRetry={() => void aliases.refetch()}
        />
      ) : aliases.data.length === 0 ? (
        <EmptyHint>No identities yet: add the key or project its exports name.</EmptyHint>
      ) : (
        <IdentitiesTable aliases={aliases.data} />
      )}
      <AddIdentityForm agent={agent} />
    </Stack>
  );
}

const COLUMNS = ['source', 'kind', 'value', 'added'] as const;
const VALUES = {
  source: (alias: AgentAlias) => SOURCE_LABELS[alias.source],
  kind: (alias: AgentAlias) => KIND_LABELS[alias.kind],
  value: (alias: AgentAlias) => alias.value,
  added: (alias: AgentAlias) => alias.createdAt,
};

function IdentitiesTable({ aliases }: { aliases: AgentAlias[] }) {
  const { sort, onSort } = useTableSort(
    'identities',
    COLUMNS,
    { column: 'source', direction: 'asc' },
    (column) => (column === 'added' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };
  const remove = useRemoveAlias();
  const confirmRemove = (alias: AgentAlias) =>
    modals.openConfirmModal({
      title: 'Remove this identity?',
      centered: true,
      children: (
        <Text size="sm">
          Rows of {SOURCE_LABELS[alias.source]} {KIND_NOUNS[alias.kind]} {alias.value} will be reported as
          unmatched in later imports. Usage already imported stays where it was counted.
        </Text>
      ),
      labels: { confirm: 'Remove', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        void mutateThen(
          remove,
          { source: alias.source, kind: alias.kind, value: alias.value },
          {
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Could not remove', message: error.message }),
          },
        ),
    });

  return (
    <Table striped aria-label="Usage identities">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="source" label="Source" {...th} />
          <SortableTh column="kind" label="Kind" {...th} />
          <SortableTh column="value" label="Value" {...th} />
          <SortableTh column="added" label="Added" {...th} />
          <Table.Th aria-label="Actions" />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(aliases, sort, VALUES).map((alias) => (
          <Table.Tr key={`${alias.source} ${alias.kind} ${alias.value}`}>
            <Table.Td>{SOURCE_LABELS[alias.source]}</Table.Td>
            <Table.Td>{KIND_LABELS[alias.kind]}</Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {alias.value}
              </Text>
            </Table.Td>
            <Table.Td>
              <LocalTime iso={alias.createdAt} dateOnly />
            </Table.Td>
            <Table.Td>
              <Tooltip label="Remove">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${alias.source} ${alias.kind} ${alias.value}`}
                  onClick={() => confirmRemove(alias)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function AddIdentityForm({ agent }: { agent: Agent }) {
  const initial: ChannelInput<'aliases.add'> = {
    agentId: agent.id,
    source: 'openai',
    kind: 'api_key',
    value: '',
  };
  const form = useContractForm(({ contract }) => contract['aliases.add'].input, initial);
  const add = useAddAlias();
  return (
    <form
      noValidate
      aria-label="Add a usage identity"
      onSubmit={form.submit(
        add,
        (alias) => {
          form.reset(initial);
          notifications.show({
            color: 'teal',
            title: 'Identity added',
            message: `${SOURCE_LABELS[alias.source]} ${KIND_NOUNS[alias.kind]} ${alias.value} now counts as ${agent.name}.`,
          });
        },
        'Could not add the identity',
      )}
    >
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          label="Source"
          data={SOURCE_OPTIONS}
          allowDeselect={false}
          w={140}
          value={form.values.source}
          error={form.errors.source}
          onChange={(value) => {
            if (!value) return;
            const source = value as AliasSource;
            form.set('source', source);
            // Our own files name handles only, providers never do: the kind follows the source.
            if (!aliasPairs(source, form.values.kind))
              form.set('kind', source === HANDLE_ALIAS.source ? HANDLE_ALIAS.kind : 'api_key');
          }}
        />
        <Select
          label="Kind"
          data={KIND_OPTIONS.filter((option) => aliasPairs(form.values.source, option.value))}
          allowDeselect={false}
          w={140}
          value={form.values.kind}
          error={form.errors.kind}
          onChange={(value) => value && form.set('kind', value as AliasKind)}
        />
        <TextInput
          label="Value"
          placeholder="e.g. key_abc123"
          style={{ flex: 1, minWidth: 180 }}
          {...form.text('value')}
        />
        <Button type="submit" mt={25} leftSection={<IconPlus size={16} />} loading={add.isPending}>
          Add
        </Button>
      </Group>
    </form>
  );
}

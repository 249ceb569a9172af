import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import { HANDLE_MAX } from '../../../../shared/domain/handle';
import { slugify } from '../../../../shared/domain/slug';
import { useContractForm } from '../../ui/use-contract-form';
import { useOrgs } from '../orgs/queries';
import { useCreateAgent } from './queries';

/** A handle suggested from a name: "Ada Support Bot" → "ada-support-bot". */
export const suggestHandle = (name: string) => slugify(name).slice(0, HANDLE_MAX);

const EMPTY = { name: '', handle: '', email: '', model: '' };

/**
 * Mounted while open, so each opening starts empty. `boundOrgName` is set for a user bound to an
 * org: their agents go there, so there is no org to choose.
 */
export function CreateAgentModal({
  onClose,
  initialOrgId,
  boundOrgName,
  initialHandle,
}: {
  onClose: () => void;
  initialOrgId?: string | null;
  boundOrgName?: string | null;
  /** The handle a usage file named and no agent has: kept as typed, whatever the name. */
  initialHandle?: string;
}) {
  const form = useContractForm(({ contract }) => contract['agents.create'].input, {
    ...EMPTY,
    ...(initialHandle ? { name: initialHandle, handle: initialHandle } : {}),
    orgId: boundOrgName === undefined ? (initialOrgId ?? undefined) : undefined,
  });
  // The handle follows the name until the user types one of their own.
  const [handleEdited, setHandleEdited] = useState(initialHandle !== undefined);
  const create = useCreateAgent();
  const orgs = useOrgs('');
  // Inactive orgs take no agents: listed, so the choice is explained, but not selectable.
  const options = (orgs.data ?? []).map((org) => ({
    value: org.id,
    label: org.status === 'active' ? org.name : `${org.name} (inactive)`,
    disabled: org.status !== 'active',
  }));

  return (
    <Modal opened onClose={onClose} title="New agent" centered size="lg">
      <form
        noValidate
        onSubmit={form.submit(
          create,
          (agent) => {
            notifications.show({
              color: 'teal',
              title: 'Agent created',
              message: agent.org
                ? `${agent.name} (${agent.handle}) is in ${agent.org.name}.`
                : `${agent.name} (${agent.handle}) is not assigned yet.`,
            });
            onClose();
          },
          'Could not create the agent',
        )}
      >
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              placeholder="Support assistant"
              data-autofocus
              value={form.values.name}
              error={form.errors.name}
              onChange={(event) => {
                const name = event.currentTarget.value;
                form.set('name', name);
                if (!handleEdited) form.set('handle', suggestHandle(name));
              }}
            />
            <TextInput
              label="Handle"
              description="Unique across all organizations; usage imports key on it. It cannot change later."
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={form.values.handle}
              error={form.errors.handle}
              onChange={(event) => {
                setHandleEdited(true);
                form.set('handle', event.currentTarget.value);
              }}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Email"
              type="email"
              autoComplete="off"
              placeholder="Optional"
              {...form.text('email')}
            />
            <TextInput label="Model" placeholder="claude-sonnet-4-5" {...form.text('model')} />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Rate override"
              description="USD per month. Empty uses the organization’s rate."
              leftSection="$"
              inputMode="decimal"
              placeholder="org rate"
              value={form.values.rate ?? ''}
              error={form.errors.rate}
              onChange={(event) => {
                const rate = event.currentTarget.value.trim();
                form.set('rate', rate === '' ? undefined : rate);
              }}
            />
            {boundOrgName === undefined ? (
              <Select
                label="Assign to"
                description="Optional: an active organization to put it in now."
                placeholder="Leave unassigned"
                data={options}
                value={form.values.orgId ?? null}
                error={form.errors.orgId}
                onChange={(value) => form.set('orgId', value ?? undefined)}
                searchable
                clearable
                nothingFoundMessage="No active organization matches"
                leftSection={<IconBuilding size={16} />}
              />
            ) : (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Organization
                </Text>
                <Text size="sm">{boundOrgName ?? 'Your organization'}</Text>
                <Text size="xs" c="dimmed">
                  Agents you create go to your organization.
                </Text>
              </Stack>
            )}
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create agent
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

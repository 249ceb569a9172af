import {
  Button,
  Group,
  Input,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Agent } from '../../../../shared/contract/agents';
import { monthsTouched } from '../../../../shared/domain/billing-terms';
import { useContractForm } from '../../ui/use-contract-form';
import { EffectiveFromField, todayUtc } from '../billing/EffectiveFromField';
import { useUpdateAgent } from './queries';

const fromAgent = (agent: Agent) => ({
  id: agent.id,
  name: agent.name,
  email: agent.email,
  model: agent.model,
  status: agent.status,
  description: agent.description,
  rate: agent.rate,
});

const STATUS_OPTIONS = [
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'stopped', label: 'Stopped' },
];

/** Everything but the handle; mount with key={agent.id} so another agent starts fresh. */
export function AgentEditForm({ agent }: { agent: Agent }) {
  const initial = fromAgent(agent);
  const form = useContractForm(({ contract }) => contract['agents.update'].input, {
    ...initial,
    from: todayUtc(),
  });
  const update = useUpdateAgent();
  const values = form.values;
  const dirty = (Object.keys(initial) as (keyof typeof initial)[]).some(
    (key) => values[key] !== initial[key],
  );
  const rateChanged = values.rate !== initial.rate;
  // A rate is a dated change: sent only when changed, so saving a new name dates nothing.
  const datedOnly = {
    mutateAsync: (input: Parameters<typeof update.mutateAsync>[0]) =>
      update.mutateAsync({
        ...input,
        rate: rateChanged ? input.rate : undefined,
        from: rateChanged ? input.from : undefined,
      }),
  };
  const overriding = values.rate !== null && values.rate !== undefined;

  return (
    <form
      noValidate
      aria-label="Agent details"
      onSubmit={form.submit(datedOnly, (saved) => {
        form.reset({ ...fromAgent(saved), from: todayUtc() });
        notifications.show({ color: 'teal', title: 'Saved', message: `${saved.name} is up to date.` });
      })}
    >
      <Stack gap="sm">
        {/* The handle never changes (usage imports key on it): it is in the drawer's header, not here. */}
        <Group grow align="flex-start">
          <TextInput
            label="Name"
            value={values.name ?? ''}
            error={form.errors.name}
            onChange={(event) => form.set('name', event.currentTarget.value)}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            value={values.email ?? ''}
            error={form.errors.email}
            onChange={(event) => form.set('email', event.currentTarget.value)}
          />
        </Group>
        <TextInput
          label="Model"
          value={values.model ?? ''}
          error={form.errors.model}
          onChange={(event) => form.set('model', event.currentTarget.value)}
        />
        <Input.Wrapper
          label="Status"
          description={
            agent.effectiveStatus === 'stopped_by_org'
              ? 'Its organization is inactive, so it is stopped by org whatever its own status.'
              : undefined
          }
          error={form.errors.status}
        >
          <SegmentedControl
            display="flex"
            w="fit-content"
            mt={4}
            aria-label="Status"
            data={STATUS_OPTIONS}
            value={values.status ?? agent.status}
            onChange={(value) => form.set('status', value as Agent['status'])}
          />
        </Input.Wrapper>
        <Stack gap={6}>
          <Switch
            label="Own rate (overrides the organization’s)"
            checked={overriding}
            onChange={(event) => form.set('rate', event.currentTarget.checked ? (agent.rate ?? '') : null)}
          />
          {overriding ? (
            <TextInput
              label="Rate override"
              description="USD per month"
              leftSection="$"
              inputMode="decimal"
              w={200}
              value={values.rate ?? ''}
              error={form.errors.rate}
              onChange={(event) => form.set('rate', event.currentTarget.value)}
            />
          ) : (
            <Text size="sm" c="dimmed">
              Billed at its organization’s rate.
            </Text>
          )}
          {rateChanged && (
            <EffectiveFromField
              value={values.from ?? ''}
              onChange={(day) => form.set('from', day)}
              error={form.errors.from}
              // The agent's later dated changes are not listed here: this change runs until the next one.
              touched={values.from ? monthsTouched(values.from, null, false) : null}
            />
          )}
        </Stack>
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxRows={6}
          value={values.description ?? ''}
          error={form.errors.description}
          onChange={(event) => form.set('description', event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={!dirty}
            onClick={() => form.reset({ ...initial, from: todayUtc() })}
          >
            Discard
          </Button>
          <Button type="submit" disabled={!dirty} loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

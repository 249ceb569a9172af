import { Button, Group, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Policy } from '../../../../shared/contract/policies';
import { useContractForm } from '../../ui/use-contract-form';
import { PolicyFields, placePolicyIssue } from './PolicyFields';
import { useUpdatePolicy } from './queries';

const fromPolicy = (policy: Policy) => ({
  id: policy.id,
  // Saved on this version: another editor's save meanwhile is a CONFLICT, not overwritten.
  expectedVersion: policy.version,
  name: policy.name,
  description: policy.description,
  config: policy.config,
});

/** The current version's settings; saving makes the next version. Mount with key={id:version}. */
export function PolicyEditForm({
  policy,
  descriptionRequired,
}: {
  policy: Policy;
  descriptionRequired: boolean;
}) {
  const initial = fromPolicy(policy);
  const form = useContractForm(
    ({ contract }) => contract['policies.update'].input,
    initial,
    placePolicyIssue,
  );
  const update = useUpdatePolicy();
  const { values } = form;
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);

  return (
    <form
      noValidate
      aria-label="Policy settings"
      onSubmit={form.submit(update, (saved) =>
        notifications.show({
          color: 'teal',
          title: 'Saved',
          message: `${saved.name} is now version ${saved.version}.`,
        }),
      )}
    >
      <Stack>
        <PolicyFields
          draft={{
            name: values.name ?? '',
            description: values.description ?? '',
            config: values.config ?? policy.config,
          }}
          errors={form.errors}
          onName={(name) => form.set('name', name)}
          onDescription={(description) => form.set('description', description)}
          onConfig={(config, slot) => form.set('config', config, slot)}
          kindLocked
          descriptionRequired={descriptionRequired}
        />
        <Group justify="flex-end">
          <Button variant="default" disabled={!dirty} onClick={() => form.reset(initial)}>
            Discard
          </Button>
          <Button type="submit" disabled={!dirty} loading={update.isPending}>
            Save as version {policy.version + 1}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

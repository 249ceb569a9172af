import { Button, Group, Modal, Stack, Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Org } from '../../../../shared/contract/orgs';
import { useContractForm } from '../../ui/use-contract-form';
import { PolicyFields, placePolicyIssue } from './PolicyFields';
import { emptyConfig } from './policy-kinds';
import { useCreatePolicy } from './queries';

/** Mounted while open, so each opening starts empty. */
export function CreatePolicyModal({
  org,
  descriptionRequired,
  onClose,
}: {
  org: Org;
  descriptionRequired: boolean;
  onClose: () => void;
}) {
  const form = useContractForm(
    ({ contract }) => contract['policies.create'].input,
    { orgId: org.id, name: '', description: '', config: emptyConfig('topic_block'), enabled: true },
    placePolicyIssue,
  );
  const create = useCreatePolicy();
  const { values } = form;

  return (
    <Modal opened onClose={onClose} title={`New policy for ${org.name}`} centered size="lg">
      <form
        noValidate
        onSubmit={form.submit(
          create,
          (policy) => {
            notifications.show({
              color: 'teal',
              title: 'Policy created',
              message: `${policy.name} is version 1, ${policy.enabled ? 'enabled' : 'disabled'}.`,
            });
            onClose();
          },
          'Could not create the policy',
        )}
      >
        <Stack>
          <PolicyFields
            draft={{ name: values.name, description: values.description ?? '', config: values.config }}
            errors={form.errors}
            onName={(name) => form.set('name', name)}
            onDescription={(description) => form.set('description', description)}
            onConfig={(config, slot) => form.set('config', config, slot)}
            kindLocked={false}
            descriptionRequired={descriptionRequired}
          />
          <Switch
            label="Enabled"
            description="A disabled policy is kept, with its versions, but does not apply."
            checked={values.enabled ?? true}
            onChange={(event) => form.set('enabled', event.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create policy
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

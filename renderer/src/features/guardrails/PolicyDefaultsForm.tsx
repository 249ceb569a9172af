import {
  Button,
  Group,
  Input,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Org } from '../../../../shared/contract/orgs';
import type { PolicyDefaults } from '../../../../shared/contract/policies';
import { useContractForm } from '../../ui/use-contract-form';
import { useSetPolicyDefaults } from './queries';

/** The org's defaults; mount with a key of the stored values, so a save starts it afresh. */
export function PolicyDefaultsForm({ org, defaults }: { org: Org; defaults: PolicyDefaults }) {
  const initial = { orgId: org.id, ...defaults };
  const form = useContractForm(({ contract }) => contract['policies.setDefaults'].input, initial);
  const save = useSetPolicyDefaults();
  const { values } = form;
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);

  return (
    <Paper withBorder p="lg">
      <form
        noValidate
        aria-label="Policy defaults"
        onSubmit={form.submit(save, () =>
          notifications.show({
            color: 'teal',
            title: 'Defaults saved',
            message: `${org.name}’s policy defaults are up to date.`,
          }),
        )}
      >
        <Stack>
          <div>
            <Title order={4}>Defaults</Title>
            <Text size="sm" c="dimmed">
              How {org.name}’s agents behave where no policy decides.
            </Text>
          </div>
          <Input.Wrapper
            label="Default decision"
            description="For an action no policy covers"
            error={form.errors.defaultDecision}
          >
            <SegmentedControl
              display="flex"
              w="fit-content"
              mt={4}
              aria-label="Default decision"
              data={[
                { value: 'allow', label: 'Allow' },
                { value: 'deny', label: 'Deny' },
              ]}
              value={values.defaultDecision ?? defaults.defaultDecision}
              onChange={(value) => form.set('defaultDecision', value as PolicyDefaults['defaultDecision'])}
            />
          </Input.Wrapper>
          <NumberInput
            label="Approval timeout (minutes)"
            description="How long a request for approval waits for an answer: 1 to 10,080 (a week)."
            maw={360}
            min={1}
            max={10_080}
            clampBehavior="none"
            allowDecimal={false}
            allowNegative={false}
            value={Number.isNaN(values.approvalTimeoutMinutes) ? '' : values.approvalTimeoutMinutes}
            error={form.errors.approvalTimeoutMinutes}
            onChange={(value) =>
              form.set('approvalTimeoutMinutes', typeof value === 'number' ? value : Number.NaN)
            }
          />
          <Switch
            label="Require a description on every policy"
            description="New policies and edits without one are refused."
            checked={values.requireDescription ?? false}
            onChange={(event) => form.set('requireDescription', event.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => form.reset(initial)}>
              Discard
            </Button>
            <Button type="submit" disabled={!dirty} loading={save.isPending}>
              Save defaults
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

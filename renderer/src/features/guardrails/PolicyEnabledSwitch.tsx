import { Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Policy } from '../../../../shared/contract/policies';
import { mutateThen } from '../../ui/mutate-then';
import { useUpdatePolicy } from './queries';

/** Turns a policy on or off at once; each flip is a version of its own. */
export function PolicyEnabledSwitch({ policy, withLabel = false }: { policy: Policy; withLabel?: boolean }) {
  const update = useUpdatePolicy();
  return (
    <Switch
      aria-label={withLabel ? undefined : `${policy.name} enabled`}
      label={withLabel ? (policy.enabled ? 'Enabled' : 'Disabled') : undefined}
      checked={policy.enabled}
      disabled={update.isPending}
      onChange={(event) =>
        void mutateThen(
          update,
          { id: policy.id, enabled: event.currentTarget.checked },
          {
            onSuccess: (saved) =>
              notifications.show({
                color: 'teal',
                message: `${saved.name} is ${saved.enabled ? 'enabled' : 'disabled'} (version ${saved.version}).`,
              }),
            onError: (error) =>
              notifications.show({
                color: 'red',
                title: 'Could not change the policy',
                message: error.message,
              }),
          },
        )
      }
    />
  );
}

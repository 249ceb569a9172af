import { Alert, Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import type { Policy } from '../../../../shared/contract/policies';
import { errorMessage } from '../../api/client';
import { mutateThen } from '../../ui/mutate-then';
import { useOrgs } from '../orgs/queries';
import { useCopyPolicy } from './queries';

const joinNames = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** Owners and admins copy a policy into other orgs, where each copy starts at version 1 of its own. */
export function CopyPolicyModal({ policy, org, onClose }: { policy: Policy; org: Org; onClose: () => void }) {
  const orgs = useOrgs('');
  const copy = useCopyPolicy();
  const [chosen, setChosen] = useState<string[]>([]);
  const options = (orgs.data ?? [])
    .filter((candidate) => candidate.id !== org.id)
    .map((candidate) => ({
      value: candidate.id,
      label: candidate.status === 'active' ? candidate.name : `${candidate.name} (inactive)`,
    }));
  const nameOf = (id: string) => orgs.data?.find((candidate) => candidate.id === id)?.name ?? id;

  return (
    <Modal opened onClose={onClose} title={`Copy ${policy.name}`} centered>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen.length === 0) return;
          void mutateThen(
            copy,
            { id: policy.id, orgIds: chosen },
            {
              onSuccess: (copies) => {
                notifications.show({
                  color: 'teal',
                  title: 'Copied',
                  message: `${policy.name} is now in ${joinNames(copies.map((copied) => nameOf(copied.orgId)))}.`,
                });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">
            Each organization gets its own copy of the current version, enabled or disabled as it is here.
            Later changes to either one stay in that organization.
          </Text>
          <MultiSelect
            label="Organizations"
            placeholder={chosen.length === 0 ? 'Choose one or more' : undefined}
            data={options}
            value={chosen}
            onChange={setChosen}
            searchable
            nothingFoundMessage="No organization matches"
            leftSection={<IconBuilding size={16} />}
            data-autofocus
          />
          {copy.isError && (
            <Alert color="red" variant="light" title="Nothing was copied">
              {errorMessage(copy.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={chosen.length === 0} loading={copy.isPending}>
              {chosen.length > 1 ? `Copy to ${chosen.length} organizations` : 'Copy'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

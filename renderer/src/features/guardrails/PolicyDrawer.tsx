import { Badge, Button, Divider, Drawer, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCopy, IconShieldOff, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { AppError } from '../../../../shared/contract/envelope';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { allows } from '../../../../shared/domain/permissions';
import { deleteAndClose } from '../../ui/delete-and-close';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { CopyPolicyModal } from './CopyPolicyModal';
import { PolicyEditForm } from './PolicyEditForm';
import { PolicyEnabledSwitch } from './PolicyEnabledSwitch';
import { PolicyHistory } from './PolicyHistory';
import { KINDS } from './policy-kinds';
import { useDeletePolicy, usePolicy } from './queries';

/** One policy: its state, its current settings to edit, its versions, and the acts that ask first. */
export function PolicyDrawer({
  policyId,
  org,
  user,
  descriptionRequired,
  onClose,
}: {
  policyId: string | null;
  org: Org;
  user: SessionUser;
  descriptionRequired: boolean;
  onClose: () => void;
}) {
  const policy = usePolicy(policyId);
  return (
    <Drawer
      opened={policyId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={<Title order={3}>{policy.data?.name ?? 'Policy'}</Title>}
    >
      {policy.isPending ? (
        <Stack aria-busy="true" aria-label="Loading the policy">
          <Skeleton h={24} w={240} />
          <Skeleton h={200} />
          <Skeleton h={160} />
        </Stack>
      ) : policy.isError ? (
        policy.error instanceof AppError && policy.error.code === 'NOT_FOUND' ? (
          <EmptyState icon={<IconShieldOff size={24} />} title="No longer here">
            <EmptyHint>This policy was deleted.</EmptyHint>
          </EmptyState>
        ) : (
          <ErrorState
            title="Could not load the policy"
            error={policy.error}
            onRetry={() => void policy.refetch()}
          />
        )
      ) : (
        <PolicyDetail
          policy={policy.data}
          org={org}
          user={user}
          descriptionRequired={descriptionRequired}
          onGone={onClose}
        />
      )}
    </Drawer>
  );
}

function PolicyDetail({
  policy,
  org,
  user,
  descriptionRequired,
  onGone,
}: {
  policy: ChannelOutput<'policies.get'>;
  org: Org;
  user: SessionUser;
  descriptionRequired: boolean;
  onGone: () => void;
}) {
  const remove = useDeletePolicy();
  const [copying, setCopying] = useState(false);

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${policy.name}?`,
      centered: true,
      children: (
        <Text size="sm">
          It stops applying to {org.name}, and its {policy.versions.length} version
          {policy.versions.length === 1 ? '' : 's'} are removed. The audit trail keeps a record. This cannot
          be undone.
        </Text>
      ),
      labels: { confirm: 'Delete policy', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => deleteAndClose(remove, policy.id, policy.name, onGone),
    });

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Group gap="sm">
          <Badge variant="light" tt="none">
            {KINDS[policy.kind].label}
          </Badge>
          <Badge variant="outline" color="gray" tt="none">
            Version {policy.version}
          </Badge>
          <PolicyEnabledSwitch policy={policy} withLabel />
        </Group>
        <Group gap="xs">
          {allows(user, 'orgs.manage') && (
            <Button variant="light" leftSection={<IconCopy size={16} />} onClick={() => setCopying(true)}>
              Copy to…
            </Button>
          )}
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={16} />}
            loading={remove.isPending}
            onClick={confirmDelete}
          >
            Delete
          </Button>
        </Group>
      </Group>
      <Divider label="Current settings" labelPosition="left" />
      <PolicyEditForm
        key={`${policy.id}:${policy.version}`}
        policy={policy}
        descriptionRequired={descriptionRequired}
      />
      <Divider label="History" labelPosition="left" />
      <PolicyHistory policy={policy} timeZone={org.timezone} />
      {copying && <CopyPolicyModal policy={policy} org={org} onClose={() => setCopying(false)} />}
    </Stack>
  );
}

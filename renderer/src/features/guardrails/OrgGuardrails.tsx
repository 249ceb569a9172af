import { Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { plural } from '../../../../shared/domain/counts';
import { usePaletteRequest } from '../../app/palette-requests';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { CreatePolicyModal } from './CreatePolicyModal';
import { PoliciesTable } from './PoliciesTable';
import { PolicyDefaultsForm } from './PolicyDefaultsForm';
import { PolicyDrawer } from './PolicyDrawer';
import { usePolicies, usePolicyDefaults } from './queries';

/** One org's guardrails: its policies and its defaults. The Guardrails page and the org's tab show this. */
export function OrgGuardrails({ org, user }: { org: Org; user: SessionUser }) {
  if (org.status === 'deleted') {
    return (
      <Paper withBorder>
        <EmptyState icon={<IconShieldOff size={24} />} title="No guardrails for a deleted organization">
          <EmptyHint>Restore {org.name} to see and change its policies again.</EmptyHint>
        </EmptyState>
      </Paper>
    );
  }
  return <LiveOrgGuardrails org={org} user={user} />;
}

function LiveOrgGuardrails({ org, user }: { org: Org; user: SessionUser }) {
  const policies = usePolicies(org.id);
  const defaults = usePolicyDefaults(org.id);
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  usePaletteRequest(
    'open-policy',
    useCallback((request: { policyId: string }) => setOpenId(request.policyId), []),
  );
  const descriptionRequired = defaults.data?.requireDescription ?? false;
  const listed = policies.data ?? [];
  const count = listed.length > 0 ? plural(listed.length, 'policy', 'policies') : '';
  const enabled = listed.filter((policy) => policy.enabled).length;

  return (
    <Stack gap="lg">
      <Paper withBorder p={0}>
        <Group justify="space-between" px="md" pt="md" pb="xs">
          <div>
            <Title order={4}>Policies</Title>
            <Text size="sm" c="dimmed" aria-live="polite">
              {count ? `${count}, ${enabled} enabled. ` : ''}Every change is kept as a version.
            </Text>
          </div>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New policy
          </Button>
        </Group>
        {policies.isPending ? (
          <Stack p="md" gap="sm" aria-busy="true" aria-label="Loading policies">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} h={28} />
            ))}
          </Stack>
        ) : policies.isError ? (
          <Stack p="md">
            <ErrorState
              title="Could not load the policies"
              error={policies.error}
              onRetry={() => void policies.refetch()}
            />
          </Stack>
        ) : policies.data.length === 0 ? (
          <EmptyState icon={<IconShieldCheck size={24} />} title={`No policies in ${org.name} yet`}>
            <EmptyHint>
              Policies block topics, redact personal data, cap spend, ask for approval or limit the tools{' '}
              {org.name}’s agents may use. Add the first with “New policy”.
            </EmptyHint>
          </EmptyState>
        ) : (
          <PoliciesTable
            policies={policies.data}
            timeZone={org.timezone}
            onOpen={(policy) => setOpenId(policy.id)}
          />
        )}
      </Paper>
      {defaults.isPending ? (
        <Skeleton h={260} aria-busy="true" aria-label="Loading the defaults" />
      ) : defaults.isError ? (
        <ErrorState
          title="Could not load the defaults"
          error={defaults.error}
          onRetry={() => void defaults.refetch()}
        />
      ) : (
        <PolicyDefaultsForm key={JSON.stringify(defaults.data)} org={org} defaults={defaults.data} />
      )}
      <PolicyDrawer
        policyId={openId}
        org={org}
        user={user}
        descriptionRequired={descriptionRequired}
        onClose={() => setOpenId(null)}
      />
      {creating && (
        <CreatePolicyModal
          org={org}
          descriptionRequired={descriptionRequired}
          onClose={() => setCreating(false)}
        />
      )}
    </Stack>
  );
}

import { Group, Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconBuilding, IconShieldCheck } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/contract/session';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { CoverageMatrix } from './CoverageMatrix';
import { OrgGuardrails } from './OrgGuardrails';

/**
 * Guardrails of the org chosen in the switcher (a bound user's own); with every org chosen, which
 * clients have which kinds of policy. Policies belong to one org each.
 */
export function GuardrailsPage({ user }: { user: SessionUser }) {
  const selection = useSwitcherOrg(user);
  const all = !selection.locked;
  const orgs = selection.orgsQuery;
  const org = selection.org;

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={2}>Guardrails</Title>
        <Text c="dimmed" size="sm">
          {org
            ? `Policies that limit what ${org.name}’s agents may do.`
            : 'Policies that limit what an organization’s agents may do.'}
        </Text>
      </div>
      {orgs.isPending ? (
        <Skeleton h={240} aria-busy="true" aria-label="Loading organizations" />
      ) : orgs.isError ? (
        <ErrorState
          title="Could not load the organizations"
          error={orgs.error}
          onRetry={() => void orgs.refetch()}
        />
      ) : org ? (
        <OrgGuardrails key={org.id} org={org} user={user} />
      ) : all ? (
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={3} size="h4">
                Coverage across organizations
              </Title>
              <Text c="dimmed" size="sm">
                Which clients have each kind of policy switched on. Open an organization to change its
                policies.
              </Text>
            </div>
            <Select
              aria-label="Choose an organization"
              placeholder="Open an organization"
              w={300}
              data={orgs.data.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
              onChange={(value) => value && selection.select(value)}
              searchable
              nothingFoundMessage="No organization matches"
              leftSection={<IconBuilding size={16} />}
            />
          </Group>
          <CoverageMatrix onOpen={(orgId) => selection.select(orgId)} />
        </Stack>
      ) : (
        <Paper withBorder>
          <EmptyState icon={<IconShieldCheck size={24} />} title="No organization">
            <EmptyHint>You are not bound to an organization, so there are no guardrails to show.</EmptyHint>
          </EmptyState>
        </Paper>
      )}
    </Stack>
  );
}

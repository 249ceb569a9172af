import { Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconBuilding, IconShieldCheck } from '@tabler/icons-react';
import type { SessionUser } from '../../../../shared/contract/session';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { OrgGuardrails } from './OrgGuardrails';

/** Guardrails of the org chosen in the switcher (a bound user's own); policies belong to one org each. */
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
      ) : (
        <Paper withBorder>
          <EmptyState
            icon={<IconShieldCheck size={24} />}
            title={all ? 'Choose an organization' : 'No organization'}
          >
            <EmptyHint>
              {all
                ? 'Each organization has its own policies. Pick one here or in the organization switcher.'
                : 'You are not bound to an organization, so there are no guardrails to show.'}
            </EmptyHint>
            {all && (
              <Select
                aria-label="Choose an organization"
                placeholder="Organization"
                w={300}
                data={orgs.data.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
                onChange={(value) => value && selection.select(value)}
                searchable
                nothingFoundMessage="No organization matches"
                leftSection={<IconBuilding size={16} />}
              />
            )}
          </EmptyState>
        </Paper>
      )}
    </Stack>
  );
}

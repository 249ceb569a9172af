import { Box, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Org } from '../../../../shared/contract/orgs';
import { formatLocalDate } from '../../ui/time';
import { BILLING_MODES } from './billing-modes';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{value || '—'}</Text>
    </Stack>
  );
}

/** The org's details for those who may read but not edit them, and for a deleted org. */
export function OrgFacts({ org }: { org: Org }) {
  const billing = BILLING_MODES.find((mode) => mode.value === org.billingMode)?.label ?? org.billingMode;
  return (
    <Paper withBorder p="lg">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg">
        <Fact label="Contact name" value={org.contactName} />
        <Fact label="Contact email" value={org.contactEmail} />
        <Fact label="Time zone" value={org.timezone} />
        <Fact label="Rate per agent / month" value={`$${org.rate}`} />
        <Fact label="Billing mode" value={billing} />
        <Fact label="Created" value={formatLocalDate(org.createdAt)} />
      </SimpleGrid>
      {org.description && (
        <Box mt="lg">
          <Fact label="Description" value={org.description} />
        </Box>
      )}
    </Paper>
  );
}

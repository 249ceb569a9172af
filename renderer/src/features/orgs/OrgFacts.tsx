import { Box, Paper, SimpleGrid, Text } from '@mantine/core';
import type { Org } from '../../../../shared/contract/orgs';
import { Fact } from '../../ui/Fact';
import { usd } from '../../ui/money';
import { formatLocalDate } from '../../ui/time';
import { BILLING_MODES } from './billing-modes';

/** A fact as the org's form holds it: free text kept as typed, a dash when empty. */
function TextFact({ label, value }: { label: string; value: string }) {
  return (
    <Fact label={label}>
      <Text style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{value || '—'}</Text>
    </Fact>
  );
}

/** The org's details for those who may read but not edit them, and for a deleted org. */
export function OrgFacts({ org }: { org: Org }) {
  const billing = BILLING_MODES.find((mode) => mode.value === org.billingMode)?.label ?? org.billingMode;
  return (
    <Paper withBorder p="lg">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg">
        <TextFact label="Contact name" value={org.contactName} />
        <TextFact label="Contact email" value={org.contactEmail} />
        <TextFact label="Time zone" value={org.timezone} />
        <TextFact label="Rate per agent / month" value={usd(org.rate)} />
        <TextFact label="Billing mode" value={billing} />
        <TextFact label="Created" value={formatLocalDate(org.createdAt)} />
      </SimpleGrid>
      {org.description && (
        <Box mt="lg">
          <TextFact label="Description" value={org.description} />
        </Box>
      )}
    </Paper>
  );
}

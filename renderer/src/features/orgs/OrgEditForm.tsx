import { Button, Group, Paper, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { contract } from '../../../../shared/contract';
import type { Org } from '../../../../shared/contract/orgs';
import { useContractForm } from '../../ui/use-contract-form';
import { BILLING_MODES } from './billing-modes';
import { useUpdateOrg } from './queries';
import { TIME_ZONES } from './time-zones';

const editable = (org: Org) => ({
  id: org.id,
  name: org.name,
  contactName: org.contactName,
  contactEmail: org.contactEmail,
  description: org.description,
  timezone: org.timezone,
  rate: org.rate,
  billingMode: org.billingMode,
});

/** Everything but the slug. Mounted per org (keyed by its id), so it starts from that org's values. */
export function OrgEditForm({ org }: { org: Org }) {
  const saved = editable(org);
  const form = useContractForm(contract['orgs.update'].input, saved);
  const update = useUpdateOrg();
  const dirty = (Object.keys(saved) as (keyof typeof saved)[]).some((key) => form.values[key] !== saved[key]);

  return (
    <Paper withBorder p="lg">
      {/* The contract's messages say what is wrong, not the browser's own email check. */}
      <form
        noValidate
        aria-label="Organization details"
        onSubmit={form.submit(update, (next) => {
          form.reset(editable(next));
          notifications.show({ color: 'teal', title: 'Saved', message: `${next.name} is up to date.` });
        })}
      >
        <Stack>
          <Group grow align="flex-start">
            <TextInput label="Name" {...form.text('name')} />
            <TextInput
              label="Slug"
              description="Set when the organization was created; it cannot change."
              value={org.slug}
              readOnly
              variant="filled"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput label="Contact name" {...form.text('contactName')} />
            <TextInput label="Contact email" type="email" {...form.text('contactEmail')} />
          </Group>
          <Textarea label="Description" autosize minRows={2} maxRows={8} {...form.text('description')} />
          <Group grow align="flex-start">
            <TextInput
              label="Rate per agent / month"
              leftSection="$"
              inputMode="decimal"
              {...form.text('rate')}
            />
            <Select
              label="Billing mode"
              data={BILLING_MODES}
              allowDeselect={false}
              value={form.values.billingMode ?? 'prorated'}
              error={form.errors.billingMode}
              onChange={(value) => value && form.set('billingMode', value as Org['billingMode'])}
            />
            <Select
              label="Time zone"
              data={TIME_ZONES}
              searchable
              allowDeselect={false}
              value={form.values.timezone ?? 'UTC'}
              error={form.errors.timezone}
              onChange={(value) => value && form.set('timezone', value)}
            />
          </Group>
          <Group justify="flex-end">
            {dirty && (
              <Button variant="default" onClick={() => form.reset(saved)}>
                Discard changes
              </Button>
            )}
            <Button type="submit" loading={update.isPending} disabled={!dirty}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

import { Button, Group, Paper, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Org, OrgBillingTerms } from '../../../../shared/contract/orgs';
import { monthsTouched } from '../../../../shared/domain/billing-terms';
import { useContractForm } from '../../ui/use-contract-form';
import { EffectiveFromField, todayUtc } from '../billing/EffectiveFromField';
import { useOrgBillingTerms, useUpdateOrgTerms } from '../billing/queries';
import { BILLING_MODES } from './billing-modes';
import { TIME_ZONES } from './time-zones';

/** The months a dated change from `from` touches, over every term it changes (null: none changed). */
export function touchedBy(
  changes: { history: { changes: { from: string }[] }; monthly: boolean }[],
  from: string,
): { first: string; last: string | null } | null {
  if (!from || changes.length === 0) return null;
  const spans = changes.map(({ history, monthly }) =>
    monthsTouched(from, history.changes.find((change) => change.from > from)?.from ?? null, monthly),
  );
  const first = spans.map((span) => span.first).sort()[0] as string;
  const lasts = spans.map((span) => span.last);
  return { first, last: lasts.includes(null) ? null : ((lasts as string[]).sort().at(-1) as string) };
}

/** The terms of `history` a form changed, each with whether a month reads it on its first day. */
function changedTerms(
  history: OrgBillingTerms | undefined,
  changed: { rate: boolean; billingMode: boolean },
  fullMonth: boolean,
) {
  if (!history) return [];
  return [
    ...(changed.rate ? [{ history: history.rate, monthly: fullMonth }] : []),
    ...(changed.billingMode ? [{ history: history.billingMode, monthly: true }] : []),
  ];
}

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
  const form = useContractForm(({ contract }) => contract['orgs.update'].input, {
    ...saved,
    from: todayUtc(),
  });
  const update = useUpdateOrgTerms();
  const terms = useOrgBillingTerms(org.id);
  const dirty = (Object.keys(saved) as (keyof typeof saved)[]).some((key) => form.values[key] !== saved[key]);
  const changed = {
    rate: form.values.rate !== saved.rate,
    billingMode: form.values.billingMode !== saved.billingMode,
  };
  const touched = touchedBy(
    changedTerms(terms.data, changed, (form.values.billingMode ?? org.billingMode) === 'full_month'),
    form.values.from ?? '',
  );
  // Rate and billing mode are dated changes: sent only when changed, so saving a new name dates nothing.
  const datedOnly = {
    mutateAsync: (input: Parameters<typeof update.mutateAsync>[0]) =>
      update.mutateAsync({
        ...input,
        rate: changed.rate ? input.rate : undefined,
        billingMode: changed.billingMode ? input.billingMode : undefined,
        from: changed.rate || changed.billingMode ? input.from : undefined,
      }),
  };

  return (
    <Paper withBorder p="lg">
      {/* The contract's messages say what is wrong, not the browser's own email check. */}
      <form
        noValidate
        aria-label="Organization details"
        onSubmit={form.submit(datedOnly, (next) => {
          form.reset({ ...editable(next), from: todayUtc() });
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
          {(changed.rate || changed.billingMode) && (
            <EffectiveFromField
              value={form.values.from ?? ''}
              onChange={(day) => form.set('from', day)}
              error={form.errors.from}
              touched={touched}
            />
          )}
          <Group justify="flex-end">
            {dirty && (
              <Button variant="default" onClick={() => form.reset({ ...saved, from: todayUtc() })}>
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

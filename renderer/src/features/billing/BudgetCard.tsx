import { Button, Group, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { z } from 'zod';
import type { Org } from '../../../../shared/contract/orgs';
import { isDecimalAmount } from '../../../../shared/domain/money';
import { shareBasisPoints, usd } from '../../ui/money';
import { useContractForm } from '../../ui/use-contract-form';
import { BudgetBadge, type BudgetState, NUMERIC } from './figures';
import { monthName } from './months';
import { useUpdateBudget } from './queries';

const BudgetInput = z.object({
  budget: z
    .string()
    .trim()
    .refine((value) => isDecimalAmount(value, 2), {
      message: 'A budget is an amount in USD with at most 2 decimals, like 1000.00',
    }),
});

const STATE_COLOR: Record<BudgetState, string> = { ok: 'teal', warning: 'yellow', exceeded: 'red' };

/** The org's monthly cost cap: how this month's cost stands against it, and (for managers) the field. */
export function BudgetCard({
  org,
  month,
  cost,
  state,
  editable,
}: {
  org: Org;
  month: string;
  cost: string;
  state: BudgetState | null;
  editable: boolean;
}) {
  const form = useContractForm(BudgetInput, { budget: org.budget ?? '' });
  const update = useUpdateBudget();
  const share = org.budget === null ? null : shareBasisPoints(cost, org.budget);
  const dirty = form.values.budget.trim() !== (org.budget ?? '');

  const save = (budget: string | null) =>
    update.mutate(
      { id: org.id, budget },
      {
        onSuccess: (next) => {
          form.reset({ budget: next.budget ?? '' });
          notifications.show({
            color: 'teal',
            title: budget === null ? 'Budget removed' : 'Budget saved',
            message:
              next.budget === null
                ? `${next.name} has no monthly budget.`
                : `${next.name}'s cost is capped at ${usd(next.budget)} a month.`,
          });
        },
        onError: (error) => {
          if (!form.showServerErrors(error))
            notifications.show({ color: 'red', title: 'Could not save the budget', message: error.message });
        },
      },
    );

  return (
    <Paper withBorder p="lg" role="region" aria-label="Budget">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={4}>Monthly budget</Title>
            <Text size="sm" c="dimmed">
              A cap on model cost per month: a warning at 80%, exceeded at 100%.
            </Text>
          </div>
          <BudgetBadge state={state} size="md" />
        </Group>
        {org.budget !== null && share !== null && (
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm">
                {monthName(month)}: {usd(cost)} of {usd(org.budget)}
              </Text>
              <Text size="sm" fw={600} style={NUMERIC}>
                {(share / 100).toFixed(1)}%
              </Text>
            </Group>
            <Progress
              value={Math.min(100, share / 100)}
              color={state ? STATE_COLOR[state] : 'gray'}
              size="lg"
              aria-label="Budget used"
            />
          </Stack>
        )}
        {editable ? (
          <form
            aria-label="Budget"
            onSubmit={(event) => {
              event.preventDefault();
              const input = form.validate();
              if (input) save(input.budget);
            }}
          >
            <Group align="flex-start">
              <TextInput
                label="Budget per month"
                leftSection="$"
                inputMode="decimal"
                placeholder="No budget"
                w={220}
                {...form.text('budget')}
              />
              <Group gap="xs" mt={25}>
                <Button type="submit" loading={update.isPending} disabled={!dirty}>
                  Save budget
                </Button>
                {org.budget !== null && (
                  <Button variant="default" disabled={update.isPending} onClick={() => save(null)}>
                    Remove budget
                  </Button>
                )}
              </Group>
            </Group>
          </form>
        ) : (
          org.budget === null && (
            <Text size="sm" c="dimmed">
              {org.name} has no monthly budget.
            </Text>
          )
        )}
      </Stack>
    </Paper>
  );
}

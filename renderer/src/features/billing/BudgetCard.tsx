import { Box, Button, Group, Paper, Progress, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Forecast } from '../../../../shared/contract/billing';
import type { Org } from '../../../../shared/contract/orgs';
import { isDecimalAmount } from '../../../../shared/domain/money';
import { percent } from '../../../../shared/domain/percent';
import { lazily } from '../../../../shared/lazily';
import type { FormSchemas } from '../../ui/load-form-schemas';
import { shareBasisPoints, usd } from '../../ui/money';
import { mutateThen } from '../../ui/mutate-then';
import { useContractForm } from '../../ui/use-contract-form';
import { BudgetBadge, type BudgetState, NUMERIC } from './figures';
import { monthName } from './months';
import { useUpdateBudget } from './queries';

const budgetInput = ({ object, string }: FormSchemas) =>
  object({
    budget: string()
      .trim()
      .refine((value) => isDecimalAmount(value, 2), {
        message: 'A budget is an amount in USD with at most 2 decimals, like 1000.00',
      }),
  });

const dayFormat = lazily(
  () => new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }),
);
/** A UTC day as "Dec 19" (forecast days are UTC). */
const dayName = (day: string) => `${dayFormat().format(new Date(`${day}T00:00:00Z`))} (UTC)`;

/** "50, 80, 100" → [50, 80, 100], checked by the contract's own rule; empty or "none": no alerts. */
const thresholdsInput = ({ object, string, AlertThresholds }: FormSchemas) =>
  object({
    thresholds: string()
      .transform((text) =>
        text.trim() === '' || text.trim().toLowerCase() === 'none'
          ? []
          : text.split(',').map((part) => (/^\s*\d+\s*$/.test(part) ? Number(part) : Number.NaN)),
      )
      .pipe(AlertThresholds),
  });

const STATE_COLOR: Record<BudgetState, string> = { ok: 'teal', warning: 'yellow', exceeded: 'red' };

/** The org's monthly cost cap: how this month's cost stands against it, and (for managers) the field. */
export function BudgetCard({
  org,
  month,
  cost,
  state,
  use,
  pace,
  forecast,
  editable,
}: {
  org: Org;
  month: string;
  cost: string;
  state: BudgetState | null;
  /** The share of the budget used so far. */
  use: number | null;
  /** The current month: the share of it gone by, where even spend would be now; null otherwise. */
  pace: number | null;
  forecast: Forecast | null;
  editable: boolean;
}) {
  const form = useContractForm(budgetInput, { budget: org.budget ?? '' });
  const update = useUpdateBudget();
  const share = org.budget === null ? null : shareBasisPoints(cost, org.budget);
  const dirty = form.values.budget.trim() !== (org.budget ?? '');
  const shownThresholds = org.alertThresholds.join(', ');
  const alertsForm = useContractForm(thresholdsInput, { thresholds: shownThresholds }, () => ({
    field: 'thresholds',
    message: 'A threshold is a whole percentage from 1 to 1000, each once',
  }));

  const saveThresholds = (alertThresholds: number[]) =>
    void mutateThen(
      update,
      { id: org.id, alertThresholds },
      {
        onSuccess: (next) => {
          alertsForm.reset({ thresholds: next.alertThresholds.join(', ') });
          notifications.show({
            color: 'teal',
            title: 'Budget alerts saved',
            message:
              next.alertThresholds.length === 0
                ? `No budget alerts for ${next.name}.`
                : `${next.name} alerts at ${next.alertThresholds.map((t) => `${t}%`).join(', ')} of its budget.`,
          });
        },
        onError: (error) => {
          if (!alertsForm.showServerErrors(error))
            notifications.show({ color: 'red', title: 'Could not save the alerts', message: error.message });
        },
      },
    );

  const save = (budget: string | null) =>
    void mutateThen(
      update,
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
              A cap on model cost per month; alerts at{' '}
              {org.alertThresholds.length > 0
                ? org.alertThresholds.map((t) => `${t}%`).join(', ')
                : 'no threshold'}
              .
            </Text>
          </div>
          <BudgetBadge state={state} use={use} size="md" />
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
            <Box pos="relative">
              <Progress
                value={Math.min(100, share / 100)}
                color={state ? STATE_COLOR[state] : 'gray'}
                size="lg"
                aria-label="Budget used"
              />
              {pace !== null && (
                <Tooltip label={`Pace: ${percent(pace)} of the month has gone by`}>
                  <Box
                    role="img"
                    aria-label={`Pace marker: where even spend would be now, ${percent(pace)} of the budget`}
                    pos="absolute"
                    top={-4}
                    bottom={-4}
                    w={3}
                    bg="var(--mantine-color-text)"
                    style={{ left: `calc(${Math.min(100, pace * 100)}% - 1px)`, borderRadius: 2 }}
                  />
                </Tooltip>
              )}
            </Box>
            {forecast && (
              <Text size="sm" c={forecast.budget_exceeded_on ? 'red' : 'dimmed'}>
                Forecast {usd(forecast.cost)}
                {forecast.budget_use !== null && ` (${percent(forecast.budget_use)} of the budget)`}
                {forecast.budget_exceeded_on
                  ? ` · reaches the budget on ${dayName(forecast.budget_exceeded_on)}`
                  : ' · stays within it at this pace'}
              </Text>
            )}
          </Stack>
        )}
        {editable ? (
          <form
            aria-label="Budget"
            onSubmit={async (event) => {
              event.preventDefault();
              const input = await form.validate();
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
        ) : null}
        {editable && (
          <form
            aria-label="Budget alerts"
            onSubmit={async (event) => {
              event.preventDefault();
              const input = await alertsForm.validate();
              if (input) saveThresholds(input.thresholds);
            }}
          >
            <Group align="flex-start">
              <TextInput
                label="Alert at (% of budget)"
                description="Comma-separated, like 50, 80, 100; empty for none"
                w={260}
                {...alertsForm.text('thresholds')}
              />
              <Button
                type="submit"
                variant="default"
                mt={45}
                loading={update.isPending}
                disabled={alertsForm.values.thresholds.trim() === shownThresholds}
              >
                Save alerts
              </Button>
            </Group>
          </form>
        )}
        {!editable && org.budget === null && (
          <Text size="sm" c="dimmed">
            {org.name} has no monthly budget.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Price } from '../../../../shared/contract/billing';
import { type IssuePlacement, useContractForm } from '../../ui/use-contract-form';
import { PriceRatesEditor } from './PriceRatesEditor';
import { useSetPrice } from './queries';

/** A rate's issue goes on its own line's field ("rates.2.price"); others on their top-level field. */
const placeRateIssues: IssuePlacement = ({ path, message }) => ({
  field: path[0] === 'rates' && path.length > 1 ? path.slice(0, 3).join('.') : String(path[0] ?? ''),
  message,
});

export const todayUtc = () => new Date().toISOString().slice(0, 10);

/** Mounted while open, so each opening starts from the model it was opened for. */
export function SetPriceModal({
  model = '',
  current,
  onClose,
}: {
  model?: string;
  current?: Pick<Price, 'input' | 'output' | 'rates'>;
  onClose: () => void;
}) {
  const form = useContractForm(
    ({ contract }) => contract['prices.set'].input,
    {
      model,
      input: current?.input ?? '',
      output: current?.output ?? '',
      rates: current?.rates ?? [],
      from: todayUtc(),
    },
    placeRateIssues,
  );
  const setPrice = useSetPrice();

  return (
    <Modal opened onClose={onClose} title="Set price" centered size="xl">
      <form
        onSubmit={form.submit(
          setPrice,
          (price) => {
            notifications.show({
              color: 'teal',
              title: 'Price set',
              message: `${price.model} from ${price.from}: $${price.input} input, $${price.output} output per 1M tokens.`,
            });
            onClose();
          },
          'Could not set the price',
        )}
      >
        <Stack>
          <TextInput
            label="Model"
            description="As usage files name it, e.g. gpt-4o"
            data-autofocus={model ? undefined : true}
            {...form.text('model')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Group grow align="flex-start">
            <TextInput
              label="Input"
              description="USD per 1M tokens"
              leftSection="$"
              inputMode="decimal"
              data-autofocus={model ? true : undefined}
              {...form.text('input')}
            />
            <TextInput
              label="Output"
              description="USD per 1M tokens"
              leftSection="$"
              inputMode="decimal"
              {...form.text('output')}
            />
          </Group>
          <PriceRatesEditor
            rates={(form.values.rates ?? []).map((rate) => ({ tier: 'standard', above: 0, ...rate }))}
            errors={form.errors}
            onChange={(rates) => form.set('rates', rates)}
          />
          <TextInput
            label="Effective from"
            description="UTC day; usage from this day on is costed at this price"
            type="date"
            value={form.values.from ?? ''}
            error={form.errors.from}
            onChange={(event) => form.set('from', event.currentTarget.value || undefined)}
          />
          <Text size="xs" c="dimmed">
            Setting a price for a model and day that already has one replaces it.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={setPrice.isPending}>
              Set price
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { PriceRate } from '../../../../shared/contract/billing';
import { CATEGORIES, TIERS } from '../../../../shared/domain/token-pricing';

/** A rate as the form holds it, before the contract's defaults. */
export type RateDraft = Pick<PriceRate, 'category' | 'tier' | 'above' | 'price'>;

const CATEGORY_LABELS: Record<PriceRate['category'], string> = {
  input: 'Input',
  output: 'Output',
  cache_read: 'Cache read',
  cache_write: 'Cache write 5 min',
  cache_write_1h: 'Cache write 1 h',
  reasoning: 'Reasoning',
};

/**
 * The rates of a price beyond its standard input and output: one line each, a category in a tier,
 * optionally only above a long-context threshold. `errors` are the form's, keyed "rates.N.field".
 */
export function PriceRatesEditor({
  rates,
  errors,
  onChange,
}: {
  rates: RateDraft[];
  errors: Record<string, string>;
  onChange: (rates: RateDraft[]) => void;
}) {
  const update = (at: number, change: Partial<RateDraft>) =>
    onChange(rates.map((rate, index) => (index === at ? { ...rate, ...change } : rate)));
  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={500}>
          Other rates
        </Text>
        <Text size="xs" c="dimmed">
          Cache, reasoning, tier and long-context prices. Left out: cache reads and writes cost the input
          price, 1-hour writes the cache-write price, reasoning the output price, a tier the standard price, a
          band the price below it.
        </Text>
      </div>
      {rates.length > 0 && (
        <Group gap="xs" wrap="nowrap" aria-hidden>
          {[
            ['Category', 170],
            ['Tier', 110],
            ['Only above prompt tokens', 150],
            ['USD per 1M', 110],
          ].map(([label, width]) => (
            <Text key={label} size="xs" c="dimmed" fw={500} w={width}>
              {label}
            </Text>
          ))}
        </Group>
      )}
      {rates.map((rate, at) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines' inputs are controlled and keep no state of their own
        <Group key={at} gap="xs" align="flex-start" wrap="nowrap" role="group" aria-label={`Rate ${at + 1}`}>
          <Select
            aria-label="Category"
            data={CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] }))}
            value={rate.category}
            allowDeselect={false}
            onChange={(value) => value && update(at, { category: value as RateDraft['category'] })}
            error={errors[`rates.${at}.category`] ?? errors[`rates.${at}`]}
            w={170}
          />
          <Select
            aria-label="Tier"
            data={[...TIERS]}
            value={rate.tier}
            allowDeselect={false}
            onChange={(value) => value && update(at, { tier: value as RateDraft['tier'] })}
            w={110}
          />
          <NumberInput
            aria-label="Above prompt tokens"
            placeholder="Any prompt"
            min={0}
            step={1000}
            allowDecimal={false}
            thousandSeparator=","
            value={rate.above === 0 ? '' : rate.above}
            onChange={(value) => update(at, { above: typeof value === 'number' ? value : 0 })}
            error={errors[`rates.${at}.above`]}
            w={150}
          />
          <TextInput
            aria-label="USD per 1M tokens"
            leftSection="$"
            inputMode="decimal"
            value={rate.price}
            onChange={(event) => update(at, { price: event.currentTarget.value })}
            error={errors[`rates.${at}.price`]}
            w={110}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={4}
            aria-label={`Remove rate ${at + 1}`}
            onClick={() => onChange(rates.filter((_, index) => index !== at))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      {errors.rates && (
        <Text size="xs" c="red">
          {errors.rates}
        </Text>
      )}
      <Group>
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={() =>
            onChange([...rates, { category: 'cache_read', tier: 'standard', above: 0, price: '' }])
          }
        >
          Add a rate
        </Button>
      </Group>
    </Stack>
  );
}

import { Alert, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { currentMonth, monthName } from './months';

/** Today as a UTC day: dated billing changes count from 00:00 UTC. */
export const todayUtc = () => new Date().toISOString().slice(0, 10);

/** "Sep 2026 – Nov 2026", or "Sep 2026 on". */
function span(first: string, last: string | null): string {
  if (last === null) return `${monthName(first)} on`;
  return first === last ? monthName(first) : `${monthName(first)} – ${monthName(last)}`;
}

/**
 * "From when" for a dated billing change: a UTC day (default today) and which months' revenue the
 * change touches, with a warning when that includes months already past.
 */
export function EffectiveFromField({
  value,
  onChange,
  error,
  touched,
}: {
  value: string;
  onChange: (day: string) => void;
  error?: string;
  /** The months the change touches; null while nothing dated is changed. */
  touched: { first: string; last: string | null } | null;
}) {
  const past = touched !== null && touched.first < currentMonth();
  return (
    <Stack gap={6}>
      <TextInput
        type="date"
        label="From when"
        description="Rates and terms change from 00:00 UTC that day; earlier months keep theirs."
        value={value}
        error={error}
        w={220}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
      {touched && !past && (
        <Text size="sm" c="dimmed">
          Changes revenue of {span(touched.first, touched.last)}.
        </Text>
      )}
      {touched && past && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} p="xs">
          Changes revenue of {span(touched.first, touched.last)}, including months already past: figures
          already sent for them will no longer match.
        </Alert>
      )}
    </Stack>
  );
}

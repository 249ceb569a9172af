import { Text, Tooltip } from '@mantine/core';

const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const LOCAL_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatLocal = (iso: string) => LOCAL.format(new Date(iso));

/** "2026-03-01 09:00:00 UTC": the exact stored value, for tooltips. */
export const formatUtc = (iso: string) =>
  `${new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '')} UTC`;

/**
 * A UTC timestamp shown in the viewer's local time; the exact UTC value is in the tooltip.
 * `dateOnly` shows the day alone where space is tight (the tooltip still has the time).
 */
export function LocalTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const date = new Date(iso);
  return (
    <Tooltip label={dateOnly ? `${formatLocal(iso)} · ${formatUtc(iso)}` : formatUtc(iso)} openDelay={200}>
      <Text component="time" dateTime={date.toISOString()} size="sm" style={{ whiteSpace: 'nowrap' }}>
        {dateOnly ? LOCAL_DATE.format(date) : LOCAL.format(date)}
      </Text>
    </Tooltip>
  );
}

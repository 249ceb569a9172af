import { Text } from '@mantine/core';
import { lazily } from '../../../shared/lazily';
import { HoverTooltip } from './HoverTooltip';
import { viewerZone } from './viewer-zone';

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Mar 1, 2026, 9:00 AM GMT+1": date and time on a zone's clock, the zone named. */
function dateTimeIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

const localDate = lazily(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));

/** A UTC timestamp on the viewer's clock, the zone named: "Mar 1, 2026, 9:00 AM GMT+1". */
export const formatLocal = (iso: string) => dateTimeIn(viewerZone()).format(new Date(iso));

/** The day of a UTC timestamp on the viewer's clock, "Mar 1, 2026": for sentences; tables take LocalTime. */
export const formatLocalDate = (iso: string) => localDate().format(new Date(iso));

/** "2026-03-01 09:00:00 UTC": the exact stored value, for tooltips. */
export const formatUtc = (iso: string) =>
  `${new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '')} UTC`;

/**
 * A UTC timestamp shown on the viewer's clock with the zone named; the tooltip has the exact UTC
 * value and, where `orgZone` shows another time, the org's local time. `dateOnly` shows the day
 * alone where space is tight (the tooltip still has the time).
 */
export function LocalTime({
  iso,
  dateOnly = false,
  orgZone,
}: {
  iso: string;
  dateOnly?: boolean;
  /** The time zone of the org the event belongs to. */
  orgZone?: string;
}) {
  const date = new Date(iso);
  const local = formatLocal(iso);
  const orgTime = orgZone ? dateTimeIn(orgZone).format(date) : local;
  const lines = [
    ...(dateOnly ? [local] : []),
    ...(orgTime !== local ? [`Org's local time: ${orgTime} (${orgZone})`] : []),
    formatUtc(iso),
  ];
  return (
    <HoverTooltip label={lines.join(' · ')} openDelay={200}>
      <Text component="time" dateTime={date.toISOString()} size="sm" style={{ whiteSpace: 'nowrap' }}>
        {dateOnly ? formatLocalDate(iso) : local}
      </Text>
    </HoverTooltip>
  );
}

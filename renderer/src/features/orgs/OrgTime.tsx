import { Text, Tooltip } from '@mantine/core';
import { formatUtc } from '../../ui/time';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = formats.get(key);
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
    formats.set(key, format);
  }
  return format;
}

/**
 * A UTC timestamp on an org's clock (its time zone), or on the viewer's for what belongs to no
 * org; the zone is named, since the two may differ on one screen. The exact UTC value is in the tooltip.
 */
export function OrgTime({ iso, timeZone }: { iso: string; timeZone?: string }) {
  const date = new Date(iso);
  const zone = timeZone ?? formatIn(undefined).resolvedOptions().timeZone;
  return (
    <Tooltip label={`${zone} · ${formatUtc(iso)}`} openDelay={200}>
      <Text component="time" dateTime={date.toISOString()} size="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatIn(timeZone).format(date)}
      </Text>
    </Tooltip>
  );
}

/** IANA zones the browser knows, UTC first: the choices for an org's display time zone. */
export const TIME_ZONES: string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC'),
];

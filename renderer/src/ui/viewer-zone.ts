/** The viewer's time zone: every time on screen is on this clock, so a list never mixes zones. */
export const VIEWER_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

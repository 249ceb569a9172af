import { lazily } from '../../../shared/lazily';

/** The viewer's time zone: every time on screen is on this clock, so a list never mixes zones. */
export const viewerZone = lazily(() => new Intl.DateTimeFormat().resolvedOptions().timeZone);

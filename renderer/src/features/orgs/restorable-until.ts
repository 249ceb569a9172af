import type { Org } from '../../../../shared/contract/orgs';
import { lazily } from '../../ui/lazily';

const dateFormat = lazily(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));

/** The last day a deleted org can be restored, for people to read. */
export const restorableUntil = (org: Org): string =>
  org.purgeAfter ? dateFormat().format(new Date(org.purgeAfter)) : '30 days after its deletion';

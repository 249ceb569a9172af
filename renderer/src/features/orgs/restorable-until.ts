import type { Org } from '../../../../shared/contract/orgs';
import { formatLocalDate } from '../../ui/time';

/** The last day a deleted org can be restored, for people to read. */
export const restorableUntil = (org: Org): string =>
  org.purgeAfter ? formatLocalDate(org.purgeAfter) : '30 days after its deletion';

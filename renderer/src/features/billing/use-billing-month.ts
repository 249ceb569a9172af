import { MONTH_PATTERN } from '../../../../shared/domain/months';
import { useUrlState } from '../../app/use-url-state';
import { currentMonth } from './months';

/** The address's key for the month the billing screens and the Agents page show. */
export const MONTH_PARAM = 'month';

/**
 * The month shown, kept in the address (`?month=2025-12`) so a reload or a link shows the same
 * one; without it, this UTC month.
 */
export function useBillingMonth(): [string, (month: string) => void] {
  const [params, update] = useUrlState();
  const named = params.get(MONTH_PARAM);
  const month = named && MONTH_PATTERN.test(named) ? named : currentMonth();
  return [month, (next: string) => update({ [MONTH_PARAM]: next })];
}

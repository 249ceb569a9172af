import { useEffect } from 'react';
import { create } from 'zustand';
import { MONTH_PATTERN } from '../../../../shared/domain/months';
import { useUrlState } from '../../app/use-url-state';
import { currentMonth } from './months';

/** The address's key for the month the billing screens and the Agents page show. */
export const MONTH_PARAM = 'month';

/** The month last chosen, for pages opened without one in their address (this session only). */
const useLastMonth = create<{ month: string | null; set(month: string): void }>()((set) => ({
  month: null,
  set: (month) => set({ month }),
}));

/** The month an address names (`?month=2025-12`), if it names a valid one. */
export function addressMonth(params: URLSearchParams): string | null {
  const named = params.get(MONTH_PARAM);
  return named && MONTH_PATTERN.test(named) ? named : null;
}

/**
 * The month shown, kept in the address (`?month=2025-12`) so a reload or a link shows the same
 * one; an address without it shows the month last chosen, else this UTC month.
 */
export function useBillingMonth(): [string, (month: string) => void] {
  const [params, update] = useUrlState();
  const last = useLastMonth();
  const fromAddress = addressMonth(params);
  const month = fromAddress ?? last.month ?? currentMonth();
  useEffect(() => {
    if (fromAddress && fromAddress !== last.month) last.set(fromAddress);
  }, [fromAddress, last]);
  return [
    month,
    (next: string) => {
      last.set(next);
      update({ [MONTH_PARAM]: next });
    },
  ];
}

import { create } from 'zustand';
import { currentMonth } from './months';

interface BillingState {
  /** The month the billing screens show, shared by the Billing page and the org's Billing tab. */
  month: string;
  setMonth(month: string): void;
}

export const useBillingStore = create<BillingState>()((set) => ({
  month: currentMonth(),
  setMonth: (month) => set({ month }),
}));

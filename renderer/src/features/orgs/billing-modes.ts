import type { Org } from '../../../../shared/contract/orgs';

export const BILLING_MODES: { value: Org['billingMode']; label: string }[] = [
  { value: 'prorated', label: 'Prorated: for the time assigned' },
  { value: 'full_month', label: 'Full month: any day counts' },
];

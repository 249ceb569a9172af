import { lazy } from 'react';

/**
 * The enrolment form, loaded when first shown: its code validates the contract's code schema, and a
 * start-up should not wait for the whole schema library for a form it rarely shows.
 */
export const LazyTwoFactorEnrol = lazy(async () => ({
  default: (await import('./TwoFactorEnrol')).TwoFactorEnrol,
}));

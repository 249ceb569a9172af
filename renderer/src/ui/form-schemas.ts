/**
 * The contract's schemas, and the few zod builders screens make their own with, for the screens
 * that check input: loaded with the first form that needs them (see `loadFormSchemas`), so no
 * page's first paint waits on building every channel's schemas.
 */
export { object, string, url } from 'zod';
export { contract } from '../../../shared/contract';
export { ServerUrl } from '../../../shared/contract/connection';
export { Slug } from '../../../shared/contract/fields';
export { AlertThresholds } from '../../../shared/contract/orgs';
export { Settings } from '../../../shared/contract/settings';
export { TotpCode } from '../../../shared/contract/two-factor';

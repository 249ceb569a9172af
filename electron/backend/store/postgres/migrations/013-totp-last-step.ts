import type { PostgresMigration } from '../migrate';

/** SQLite's migration 26: the step of the last authenticator code a user signed in with. */
export const totpLastStep: PostgresMigration = {
  version: 13,
  name: 'TOTP last step (SQLite migration 26)',
  sql: `
    ALTER TABLE users ADD COLUMN totp_last_step bigint;
  `,
};

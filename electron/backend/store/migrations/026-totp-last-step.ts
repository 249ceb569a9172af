import type { Migration } from '../migrate';

export const totpLastStep: Migration = {
  version: 26,
  name: 'TOTP last step: a code proves the second factor once',
  sql: `
    -- The 30-second step of the last authenticator code a user signed in with: a code of that step
    -- or an earlier one is refused, so a code seen over a shoulder or in a log cannot be used again
    -- in the 90 seconds it stays valid. Steps only grow, so a second factor set up again starts
    -- after it with no reset.
    ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
  `,
};

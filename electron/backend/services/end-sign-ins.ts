import type { Store } from '../store/store';

/**
 * Ends every way a user is signed in: their sessions and their API tokens (revoked, so the list
 * still shows them). After a password reset or "sign out everywhere", a credential the user lost
 * control of must stop working, tokens included. Run inside the caller's transaction.
 */
export function endEverySignIn(store: Store, userId: string, at: string) {
  // Its devices were known to the old password: a stolen device cookie loses its exemption too.
  store.knownDevices.forgetUser(userId);
  return {
    sessionsEnded: store.sessions.removeForUser(userId),
    tokensRevoked: store.apiTokens.revokeForUser(userId, at),
  };
}

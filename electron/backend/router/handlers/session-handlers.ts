import type { ApiTokensService } from '../../services/api-tokens-service';
import type { AuthService } from '../../services/auth-service';
import { isApiToken } from '../../services/token-secrets';
import type { HandlerGroup } from '../handler';

export function sessionHandlers(auth: AuthService, tokens: ApiTokensService): HandlerGroup {
  return {
    'session.current': (_input, { session }) => ({
      user: session.principal ? null : auth.currentUser(session.token),
      needsSetup: auth.needsSetup(),
      setupCodeRequired: auth.setupCodeRequired(),
    }),
    'session.signIn': async ({ email, password, totp }, { session }) => {
      const request = {
        email,
        clientAddress: session.clientAddress,
        sessionToken: session.token,
        deviceSecret: session.deviceSecret ?? null,
      };
      const { token, user } = await auth.signIn(request, password, totp);
      session.setToken(token);
      // From now on this client is a known device of the account: others' failures no longer slow it.
      session.setDeviceSecret?.(auth.rememberDevice(user.id, session.deviceSecret ?? null));
      return { user };
    },
    'session.signOut': (_input, { session, principal }) => {
      // A script signed in with an API token signs out by revoking it; a session just ends.
      if (session.token && isApiToken(session.token)) tokens.revokeBySecret(principal, session.token);
      else if (session.token) auth.signOut(session.token);
      session.setToken(null);
      return { signedOut: true as const };
    },
    'setup.init': async (input, { session }) => {
      const { token, user } = await auth.setup(input);
      session.setToken(token);
      return { user };
    },
  };
}

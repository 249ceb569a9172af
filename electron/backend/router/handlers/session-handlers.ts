import type { AuthService } from '../../services/auth-service';
import type { HandlerGroup } from '../handler';

export function sessionHandlers(auth: AuthService): HandlerGroup {
  return {
    'session.current': (_input, { session }) => ({
      user: session.principal ? null : auth.currentUser(session.token),
      needsSetup: auth.needsSetup(),
    }),
    'session.signIn': async ({ email, password, totp }, { session }) => {
      const attempt = { email, clientAddress: session.clientAddress, sessionToken: session.token };
      const { token, user } = await auth.signIn(attempt, password, totp);
      session.setToken(token);
      return { user };
    },
    'session.signOut': (_input, { session }) => {
      if (session.token) auth.signOut(session.token);
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

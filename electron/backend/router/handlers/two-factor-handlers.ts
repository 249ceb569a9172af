import type { AuthService } from '../../services/auth-service';
import type { TwoFactorService } from '../../services/two-factor-service';
import type { HandlerGroup } from '../handler';

export function twoFactorHandlers(twoFactor: TwoFactorService, auth: AuthService): HandlerGroup {
  return {
    'twoFactor.status': (_input, { principal }) => twoFactor.status(principal),
    'twoFactor.begin': (_input, { principal }) => twoFactor.begin(principal),
    'twoFactor.confirm': async ({ code }, { principal, session }) => {
      const enrolled = await twoFactor.confirm(principal, code);
      // Enrolled, a session that had to enrol may open every page: it goes on under a new token,
      // which the desktop also takes as its window signing in (budget alerts kept back for it).
      const renewed = session.token ? auth.renewSession(session.token) : null;
      if (renewed) session.setToken(renewed);
      return enrolled;
    },
    'twoFactor.reset': ({ userId }, { principal }) => {
      twoFactor.reset(principal, userId);
      return { reset: true as const };
    },
  };
}

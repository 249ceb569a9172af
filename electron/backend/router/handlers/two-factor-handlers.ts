import type { TwoFactorService } from '../../services/two-factor-service';
import type { HandlerGroup } from '../handler';

export function twoFactorHandlers(twoFactor: TwoFactorService): HandlerGroup {
  return {
    'twoFactor.status': (_input, { principal }) => twoFactor.status(principal),
    'twoFactor.begin': (_input, { principal }) => twoFactor.begin(principal),
    'twoFactor.confirm': ({ code }, { principal }) => twoFactor.confirm(principal, code),
    'twoFactor.reset': ({ userId }, { principal }) => {
      twoFactor.reset(principal, userId);
      return { reset: true as const };
    },
  };
}

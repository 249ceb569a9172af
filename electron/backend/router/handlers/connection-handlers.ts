import { AppError } from '../../../../shared/contract/envelope';
import { LOCAL_PROFILE } from '../../remote/profiles';
import type { HandlerGroup } from '../handler';

const refuse = () => {
  throw new AppError(
    'FORBIDDEN',
    'Connection profiles are chosen in the desktop app; this serves its own data.',
  );
};

/**
 * connection.* as `orgdeck serve` and the CLI answer it: always this computer's store. The desktop
 * and a console started with --remote answer these channels before they reach this router.
 */
export function connectionHandlers(): HandlerGroup {
  return {
    'connection.status': () => ({
      mode: 'local' as const,
      profileId: LOCAL_PROFILE.id,
      url: null,
      email: null,
      online: true,
      cachedAt: null,
      problem: null,
      keychain: 'unavailable' as const,
      keychainProblem: null,
      sessionOnly: false,
      switchable: false,
    }),
    'connection.profiles': () => ({ profiles: [LOCAL_PROFILE], activeId: LOCAL_PROFILE.id }),
    'connection.addProfile': refuse,
    'connection.switch': refuse,
    'connection.keepForSession': refuse,
  };
}

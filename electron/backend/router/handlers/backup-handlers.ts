import type { BackupsService } from '../../backups/backups-service';
import type { HandlerGroup } from '../handler';

export function backupHandlers(backups: BackupsService): HandlerGroup {
  return {
    'backups.list': () => backups.list(),
    'backups.create': (_input, { principal }) => backups.create(principal),
    'backups.restore': async ({ file }, { principal, session }) => {
      const result = await backups.restore(principal, file);
      // The restore ended every session, this one too: the caller signs in again like everyone.
      session.setToken(null);
      return result;
    },
  };
}

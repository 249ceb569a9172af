import type { Logger } from '../logger';
import type { BackupsService } from './backups-service';

export const CHECK_EVERY_MS = 3_600_000;

/**
 * Makes the day's backup at start and checks hourly whether a new day needs one, so an app left
 * open over midnight backs up too. The timer never keeps the process alive on its own.
 */
export function startAutoBackups(backups: BackupsService, logger: Logger): { stop(): void } {
  const check = () =>
    backups.ensureDaily().catch((error: unknown) => {
      logger.error('the daily backup failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
  void check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

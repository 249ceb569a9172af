import { AppError } from '../../../shared/contract/envelope';

/**
 * Which write calls run when: any number at once, except a call that replaces what the others
 * write (a restore from a backup), which runs alone. It waits for the writes under way to end, and
 * writes that come meanwhile wait for it: one committed between the restore's reading of the live
 * store and its copy over it was lost, in neither the restored store nor the one kept aside.
 */
export function createWriteTurns() {
  let running = 0;
  /** Settles when the last write under way ends. */
  let drained: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Settles when the call running alone ends. */
  let alone: Promise<unknown> | undefined;

  return {
    /** Runs a write call once no call runs alone. */
    async write<T>(work: () => Promise<T>): Promise<T> {
      while (alone) await alone.catch(() => undefined);
      running++;
      try {
        return await work();
      } finally {
        running--;
        if (running === 0) drained?.resolve();
      }
    },
    /**
     * Runs a call alone: after the writes under way, before any that come meanwhile. Refused when
     * those writes have not ended within `waitMs` (an org archive's import, a re-pricing): the
     * writes held meanwhile go on.
     */
    async alone<T>(work: () => Promise<T>, waitMs: number): Promise<T> {
      while (alone) await alone.catch(() => undefined);
      const turn = (async () => {
        if (running > 0) {
          let resolve = () => {};
          const promise = new Promise<void>((settle) => (resolve = settle));
          drained = { promise, resolve };
          let timer: NodeJS.Timeout | undefined;
          const waited = await Promise.race([
            promise.then(() => true),
            new Promise<false>((settle) => (timer = setTimeout(() => settle(false), waitMs))),
          ]);
          clearTimeout(timer);
          drained = undefined;
          if (!waited)
            throw new AppError(
              'CONFLICT',
              'Other changes are still being saved (an import, say): try again once they are done. Nothing was changed.',
            );
        }
        return work();
      })();
      alone = turn;
      try {
        return await turn;
      } finally {
        if (alone === turn) alone = undefined;
      }
    },
  };
}

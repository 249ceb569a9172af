import type { Store } from '../store/store';

/**
 * Moves a re-pricing's months to their new price a month per write (store.usage.relabelNextMonth),
 * with the thread free between them: at 10 million imported rows a model's months take a second
 * to move, and in one write every other write would wait for all of them.
 */
export function createUsageRelabelling(store: Store) {
  let moving: Promise<void> | undefined;
  const nextMonth = () => store.writeTransaction(() => store.usage.relabelNextMonth());

  async function moveAll(): Promise<void> {
    while (nextMonth()) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Resolves once every pending month has its new price, moving them meanwhile. */
  async function settled(): Promise<void> {
    while (store.usage.relabelPending()) {
      moving ??= moveAll().finally(() => {
        moving = undefined;
      });
      await moving;
    }
  }

  return {
    settled,
    /**
     * Runs `work`, a write that bills from prices (a re-pricing, a month's close), once no month
     * is left to move: in the same turn as the check, so nothing starts a re-pricing in between.
     */
    async whenSettled<T>(work: () => T): Promise<T> {
      while (store.usage.relabelPending()) await settled();
      return work();
    },
    /** At start: finishes a re-pricing a restart interrupted, before any call is answered. */
    finishNow(): void {
      while (nextMonth());
    },
  };
}

export type UsageRelabelling = ReturnType<typeof createUsageRelabelling>;

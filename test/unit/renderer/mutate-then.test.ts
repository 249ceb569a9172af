import { MutationObserver, QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { mutateThen } from '../../../renderer/src/ui/mutate-then';

/** A mutation as a screen holds it (useMutation wraps this observer), answering when told to. */
function mountedMutation() {
  let answer: { resolve: (value: string) => void; reject: (error: Error) => void } | undefined;
  const observer = new MutationObserver(new QueryClient(), {
    mutationFn: (input: string) =>
      new Promise<string>((resolve, reject) => {
        answer = { resolve: () => resolve(`saved ${input}`), reject };
      }),
  });
  const unmount = observer.subscribe(() => {});
  return {
    mutation: { mutateAsync: (input: string) => observer.mutate(input) },
    perCall: (input: string, onSuccess: (result: string) => void) =>
      void observer.mutate(input, { onSuccess }),
    unmount,
    /** The pending call's answer, once the mutation has called its function (a few ticks in). */
    async answer() {
      for (let tick = 0; !answer && tick < 100; tick++)
        await new Promise((resolve) => setTimeout(resolve, 0));
      const pending = answer;
      answer = undefined;
      if (!pending) throw new Error('the mutation never ran');
      return pending;
    },
  };
}

describe('a screen’s follow-up after a mutation', () => {
  it('still runs when the screen unmounted before the answer (the "Saved" notice, closing the drawer)', async () => {
    const screen = mountedMutation();
    const shown: string[] = [];
    const done = mutateThen(screen.mutation, 'policy v2', { onSuccess: (result) => shown.push(result) });
    screen.unmount(); // the save's own refresh remounts the form keyed by the saved version
    (await screen.answer()).resolve('');
    await done;
    expect(shown).toEqual(['saved policy v2']);

    // What the screens did before: mutate's per-call callback, dropped with the unmounted caller.
    const before = mountedMutation();
    const lost: string[] = [];
    before.perCall('policy v3', (result) => lost.push(result));
    before.unmount();
    (await before.answer()).resolve('');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lost).toEqual([]);
  });

  it('hands a refusal to onError, or leaves it to the screen without an unhandled rejection', async () => {
    const screen = mountedMutation();
    const refused: string[] = [];
    const withHandler = mutateThen(screen.mutation, 'a', { onError: (error) => refused.push(error.message) });
    (await screen.answer()).reject(new Error('Rate must be at least 0'));
    await withHandler;
    expect(refused).toEqual(['Rate must be at least 0']);

    const silent = mutateThen(screen.mutation, 'b');
    (await screen.answer()).reject(new Error('CONFLICT'));
    await expect(silent).resolves.toBeUndefined();
  });
});

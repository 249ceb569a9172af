import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_DATA_WAIT_MS, whenFirstDataIn } from '../../../renderer/src/app/first-data';

const answerAfter = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** Whether `promise` has settled, read without waiting for it. */
function watch(promise: Promise<unknown>) {
  const state = { settled: false };
  void promise.then(() => {
    state.settled = true;
  });
  return state;
}

describe('the first render waits briefly for the data start-up asked for', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders at once when nothing is loading (the sign-in screen)', async () => {
    const firstRender = watch(whenFirstDataIn(new QueryClient(), FIRST_DATA_WAIT_MS));
    await vi.advanceTimersByTimeAsync(0);
    expect(firstRender.settled).toBe(true);
  });

  it('waits for the page’s data, and for what the first answer asks next (an org’s margins by its id)', async () => {
    const client = new QueryClient();
    void client
      .fetchQuery({ queryKey: ['org', 'acme-corp'], queryFn: () => answerAfter(20, { id: 'org-1' }) })
      .then((org) =>
        client.prefetchQuery({ queryKey: ['margins', org.id], queryFn: () => answerAfter(30, ['$12.00']) }),
      );
    const firstRender = watch(whenFirstDataIn(client, FIRST_DATA_WAIT_MS));

    await vi.advanceTimersByTimeAsync(25);
    expect(firstRender.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(30);
    expect(firstRender.settled).toBe(true);
    // Rendered now, the page finds its margins in the cache: no skeleton first.
    expect(client.getQueryData(['margins', 'org-1'])).toEqual(['$12.00']);
    // It stopped listening to the cache, and its cap no longer runs.
    expect(client.getQueryCache().hasListeners()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows the page (and its skeleton) when an answer is slow, not a blank window', async () => {
    const client = new QueryClient();
    void client.prefetchQuery({ queryKey: ['report'], queryFn: () => answerAfter(10_000, 'slow') });
    const firstRender = watch(whenFirstDataIn(client, FIRST_DATA_WAIT_MS));

    await vi.advanceTimersByTimeAsync(FIRST_DATA_WAIT_MS - 1);
    expect(firstRender.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(firstRender.settled).toBe(true);
    expect(client.getQueryData(['report'])).toBeUndefined();
    expect(client.getQueryCache().hasListeners()).toBe(false);
  });
});

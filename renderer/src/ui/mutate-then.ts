import { useCallback, useEffect, useRef } from 'react';

/** What runs once a mutation settles: a notification, closing a modal, clearing a field. */
export interface AfterMutation<Result> {
  onSuccess?: (result: Result) => void;
  onError?: (error: Error) => void;
}

/**
 * Runs a mutation and then its follow-up on the mutation's promise. Not through `mutate`'s
 * per-call callbacks: TanStack Query drops those when the caller unmounts first, and a mutation's
 * own refresh often unmounts it (a form keyed by what it saved remounts, a deleted row goes), which
 * lost "Saved" notifications and left drawers open. A refusal without `onError` is the screen's to
 * show from `mutation.error`, as with `mutate`. Every call's follow-up runs, the screen there or not:
 * one that changes the screen it was called from asks `useStillMounted` first, so a save that
 * lands after the user left and came back does not close the editor they reopened.
 */
export function mutateThen<Input, Result>(
  mutation: { mutateAsync: (input: Input) => Promise<Result> },
  input: Input,
  after: AfterMutation<Result> = {},
): Promise<void> {
  return mutation.mutateAsync(input).then(
    (result) => after.onSuccess?.(result),
    (error: Error) => after.onError?.(error),
  );
}

/** Asked in a mutation's follow-up: whether the component that called it is still on screen. */
export function useStillMounted(): () => boolean {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return useCallback(() => mounted.current, []);
}

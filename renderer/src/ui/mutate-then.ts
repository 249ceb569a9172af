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
 * show from `mutation.error`, as with `mutate`.
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

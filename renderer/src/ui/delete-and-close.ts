import { notifications } from '@mantine/notifications';

/**
 * Deletes a record shown in a drawer, then says so and closes the drawer. Not through the
 * mutation's per-call callbacks: the delete refreshes the open record, finds it gone and unmounts
 * its detail ("No longer here"), and TanStack Query drops the callbacks of a caller that unmounted,
 * which left the drawer open whenever another refresh answered after the record's own.
 */
export function deleteAndClose<Id>(
  remove: { mutateAsync: (id: Id) => Promise<unknown> },
  id: Id,
  name: string,
  onGone: () => void,
): void {
  void remove.mutateAsync(id).then(
    () => {
      notifications.show({ color: 'teal', title: 'Deleted', message: `${name} is deleted.` });
      onGone();
    },
    (error: Error) => notifications.show({ color: 'red', title: 'Could not delete', message: error.message }),
  );
}

import { notifications } from '@mantine/notifications';
import { mutateThen } from './mutate-then';

/**
 * Deletes a record shown in a drawer, then says so and closes the drawer, through `mutateThen`:
 * the delete's refresh finds the record gone and unmounts the drawer's detail.
 */
export function deleteAndClose<Id>(
  remove: { mutateAsync: (id: Id) => Promise<unknown> },
  id: Id,
  name: string,
  onGone: () => void,
): void {
  void mutateThen(remove, id, {
    onSuccess: () => {
      notifications.show({ color: 'teal', title: 'Deleted', message: `${name} is deleted.` });
      onGone();
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Could not delete', message: error.message }),
  });
}

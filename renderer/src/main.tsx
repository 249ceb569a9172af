import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import { createQueryClient } from './app/query-client';
import { currentRoute } from './app/routes';
import { startLoading } from './app/start-loading';

// The first screen's requests leave before the console's own code (React DOM, Mantine and the
// shell, most of its bytes) is even fetched: this entry holds only what asking for data needs, and
// the rest is imported once they are on their way, its evaluation overlapping their answers.
const queryClient = createQueryClient();
void startLoading(queryClient, currentRoute());
void import('./app/mount-console').then(({ mountConsole }) => mountConsole(queryClient));

import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { FIRST_DATA_WAIT_MS, whenFirstDataIn } from './app/first-data';
import { createQueryClient } from './app/query-client';
import { currentRoute } from './app/routes';
import { startLoading } from './app/start-loading';

const queryClient = createQueryClient();
const pageCode = startLoading(queryClient, currentRoute());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// The first render waits for the page's code (a few KB, asked for above): rendered without it, the
// frame shows the page's skeleton, and React then holds the page back for 300 ms after that. Then,
// briefly, for the page's data, so the page renders once, with it.
void pageCode.then(async () => {
  await whenFirstDataIn(queryClient, FIRST_DATA_WAIT_MS);
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} />
    </StrictMode>,
  );
});

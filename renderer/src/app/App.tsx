import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications, useNotifications } from '@mantine/notifications';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { SessionGate } from './SessionGate';
import { cssVariablesResolver, theme } from './theme';

const colorSchemeManager = localStorageColorSchemeManager({ key: 'orgdeck-color-scheme' });

/**
 * Mantine's notification stack, mounted with the first notification and kept: mounted empty, it set
 * up its portal as the console first drew and made React draw the console a second time. Each
 * notification is its own `role="alert"`, so a screen reader announces the first one as any other.
 */
function NotificationStack() {
  const { notifications } = useNotifications();
  const [shown, setShown] = useState(false);
  if (!shown && notifications.length > 0) setShown(true);
  return shown ? <Notifications position="bottom-right" /> : null;
}

/** `queryClient`: made before the first render, so start-up loads can fill it (start-loading.ts). */
export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme="auto"
    >
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <NotificationStack />
          <SessionGate />
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}

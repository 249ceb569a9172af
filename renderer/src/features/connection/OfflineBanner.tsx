import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconCloudOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { CONNECTION_EVENT } from '../../api/client';
import { connectionKeys, useConnectionStatus } from './queries';

/** HH:MM in the user's own time zone. */
const clockTime = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * Team mode, server unreachable: says the page shows cached data, and from when. When the server
 * is back, everything is fetched afresh and the banner goes.
 */
export function OfflineBanner() {
  const status = useConnectionStatus();
  const client = useQueryClient();
  const wasOnline = useRef(true);
  const online = status.data?.online ?? true;

  useEffect(() => {
    const refresh = () => void client.invalidateQueries({ queryKey: connectionKeys.status() });
    window.addEventListener(CONNECTION_EVENT, refresh);
    return () => window.removeEventListener(CONNECTION_EVENT, refresh);
  }, [client]);

  useEffect(() => {
    if (online && !wasOnline.current) void client.invalidateQueries();
    wasOnline.current = online;
  }, [online, client]);

  const data = status.data;
  if (data?.problem) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle />}
        title="This app and the server do not match"
        mb="md"
        role="alert"
      >
        {data.problem}
      </Alert>
    );
  }
  if (!data || data.online) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconCloudOff />}
      title={data.cachedAt ? `Offline — showing data from ${clockTime(data.cachedAt)}` : 'Offline'}
      mb="md"
      role="status"
    >
      Orgdeck cannot reach {data.url} and keeps trying. Changes cannot be saved until the connection is back.
    </Alert>
  );
}

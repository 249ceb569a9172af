import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessage } from '../api/client';

export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry: () => void;
  title: string;
}) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle />}>
      {errorMessage(error)}
      <Button mt="sm" size="xs" variant="light" color="red" onClick={onRetry} display="block">
        Try again
      </Button>
    </Alert>
  );
}

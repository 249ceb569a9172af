import { Center, Loader } from '@mantine/core';
import { useCurrentSession } from '../features/session/queries';
import { SetupPage } from '../features/session/SetupPage';
import { SignInPage } from '../features/session/SignInPage';
import { ErrorState } from '../ui/ErrorState';
import { Shell } from './Shell';

export function SessionGate() {
  const session = useCurrentSession();
  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading Orgdeck" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center mih="100vh" p="md">
        <ErrorState
          title="Orgdeck cannot start"
          error={session.error}
          onRetry={() => void session.refetch()}
        />
      </Center>
    );
  }
  const { user, needsSetup } = session.data;
  if (needsSetup) return <SetupPage />;
  if (!user) return <SignInPage />;
  return <Shell user={user} />;
}
